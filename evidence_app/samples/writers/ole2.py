"""A small writer of OLE2 compound files (the container of Outlook .msg and old Office files).

Why by hand: no maintained PyPI package writes compound files (olefile only reads and patches
them), and the self-test and samples need real `.msg` files that the readers must open. This
writes version 3 files (512-byte sectors): streams under 4,096 bytes go to the mini stream, as
the format requires, and each storage's children form a balanced tree ordered the way the
format compares names (shorter first, then case-insensitively). Deterministic: no timestamps.

    data = compound_file({"__substg1.0_0037001F": b"...", "__nameid_version1.0": {...}})
"""
from __future__ import annotations

import struct

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STORAGE, _STREAM, _ROOT = 1, 2, 5

Tree = dict  # name -> bytes (a stream) or Tree (a storage)


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        if len(name) > 31:
            raise ValueError(f"compound file names are at most 31 characters: {name!r}")
        self.name, self.kind, self.data = name, kind, data
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = ENDOFCHAIN, 0

    def pack(self) -> bytes:
        raw = self.name.encode("utf-16-le")
        name = (raw + b"\0\0").ljust(64, b"\0")
        return struct.pack("<64sHBBIII16sIQQIQ", name, len(raw) + 2, self.kind, 1, self.left,
                           self.right, self.child, b"\0" * 16, 0, 0, 0, self.start, self.size)


def _order(name: str) -> tuple:
    return len(name), name.upper()


def _flatten(tree: Tree, entries: list[_Entry]) -> list[int]:
    ids = []
    for name, value in tree.items():
        if isinstance(value, dict):
            entry = _Entry(name, _STORAGE)
            entries.append(entry)
            ids.append(len(entries) - 1)
            entry.child = _balanced(entries, _flatten(value, entries))
        else:
            entries.append(_Entry(name, _STREAM, bytes(value)))
            ids.append(len(entries) - 1)
    return ids


def _balanced(entries: list[_Entry], ids: list[int]) -> int:
    """Link siblings as a balanced binary search tree; returns the root's id."""
    ids = sorted(ids, key=lambda i: _order(entries[i].name))

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = entries[ids[mid]]
        node.left, node.right = build(lo, mid), build(mid + 1, hi)
        return ids[mid]

    return build(0, len(ids))


def _chain(table: list[int], first: int, count: int) -> None:
    for i in range(count):
        table[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file holding `tree` under its root storage."""
    entries = [_Entry("Root Entry", _ROOT)]
    entries[0].child = _balanced(entries, _flatten(tree, entries))
    streams = [e for e in entries if e.kind == _STREAM]

    mini, minifat = bytearray(), []
    for e in streams:
        e.size = len(e.data)
        if 0 < e.size < MINI_CUTOFF:
            n = -(-e.size // MINI_SECTOR)
            e.start = len(minifat)
            minifat.extend([0] * n)
            _chain(minifat, e.start, n)
            mini += e.data.ljust(n * MINI_SECTOR, b"\0")

    sectors: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes, tag: int | None = None) -> int:
        n = -(-len(data) // SECTOR)
        if n == 0:
            return ENDOFCHAIN
        first = len(sectors)
        for i in range(n):
            sectors.append(data[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
        fat.extend([0] * n)
        if tag is None:
            _chain(fat, first, n)
        else:
            fat[first:first + n] = [tag] * n
        return first

    if mini:
        entries[0].start, entries[0].size = place(bytes(mini)), len(mini)
    for e in streams:
        if e.size >= MINI_CUTOFF:
            e.start = place(e.data)
    minifat_start = ENDOFCHAIN
    minifat_sectors = 0
    if minifat:
        raw = struct.pack(f"<{len(minifat)}I", *minifat)
        minifat_sectors = -(-len(raw) // SECTOR)
        raw = raw.ljust(minifat_sectors * SECTOR, b"\xff")  # unused mini FAT entries are free
        minifat_start = place(raw)
    while len(entries) % (SECTOR // 128):
        entries.append(_Entry("", 0))
    directory = b"".join(e.pack() if e.kind else _empty_entry() for e in entries)
    dir_start = place(directory)

    per_fat = SECTOR // 4
    n_fat = 1
    while n_fat * per_fat < len(sectors) + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer (over ~7 MB)")
    fat_start = len(sectors)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREESECT] * (n_fat * per_fat - len(fat)))
    fat_raw = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(n_fat):
        sectors.append(fat_raw[i * SECTOR:(i + 1) * SECTOR])

    difat = [fat_start + i for i in range(n_fat)] + [FREESECT] * (109 - n_fat)
    header = (MAGIC + b"\0" * 16 + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6,
                                                b"\0" * 6, 0, n_fat, dir_start, 0, MINI_CUTOFF,
                                                minifat_start, minifat_sectors, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    return header + b"".join(sectors)


def _empty_entry() -> bytes:
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                       b"\0" * 16, 0, 0, 0, 0, 0)
