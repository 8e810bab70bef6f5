"""Reading the journal's last entry cheaply (from the end of its files), without the crypto or
database machinery: read-only commands use it to see, in about a millisecond, whether the
database lacks committed work that the journal holds (journal.py explains `seq` and `prev`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

GENESIS = "0" * 64
JOURNAL_DIR = "journal"


class Tail(NamedTuple):
    """(A NamedTuple, not a dataclass: read-only commands load this module at opening.)"""

    seq: int = 0
    hash: str = GENESIS
    lines: int = 0  # readable lines seen at the end of the files (0: no journal)


def line_hash(raw: bytes) -> str:
    # start-up: hashlib is loaded only when this runs
    import hashlib  # on first use: a workspace with no journal yet never needs it

    return hashlib.sha256(raw.strip()).hexdigest()


def _last_good_line(path: Path) -> tuple[int, bytes, bool] | None:
    """(seq, the line, has_seq) of the last readable line of one file, reading from its end."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            window = 64 * 1024
            while True:
                start = max(0, size - window)
                f.seek(start)
                data = f.read(size - start)
                lines = data.split(b"\n")
                if start > 0:
                    lines = lines[1:]  # may be cut
                for raw in reversed(lines):
                    if not raw.strip():
                        continue
                    try:
                        obj = json.loads(raw.decode("utf-8"))
                    except (ValueError, UnicodeDecodeError):
                        continue  # torn by a crash: the line before is the tail
                    if not isinstance(obj, dict):
                        continue
                    seq = obj.get("seq")
                    if isinstance(seq, int) and not isinstance(seq, bool):
                        return seq, raw, True
                    return 0, raw, False
                if start == 0:
                    return None
                window *= 4
    except OSError:
        return None


def tail(root: Path, with_hash: bool = True) -> Tail:
    """The journal's last entry (highest `seq` over its files), read from the files' ends:
    cheap however long the journal is. `with_hash=False` (a reader comparing only `seq`) leaves
    `hash` as GENESIS and spares loading hashlib (a few milliseconds of every search)."""
    folder = Path(root) / JOURNAL_DIR
    best, best_raw = Tail(), b""
    if not folder.is_dir():
        return best
    for path in sorted(folder.glob("*.jsonl")):
        got = _last_good_line(path)
        if got is None:
            continue
        seq, raw, _ = got
        if best.lines == 0 or seq >= best.seq:
            best, best_raw = Tail(seq, GENESIS, 1), raw
    if with_hash and best.lines:
        best = best._replace(hash=line_hash(best_raw))
    return best


