"""A minimal writer of OLE2 / Compound File Binary containers (MS-CFB, version 3), the wrapper of
Word, Excel and PowerPoint 97-2003 files, so the sample generator can emit old Office files.

Only what those files need: one level of streams under the root, each stored in regular
512-byte sectors (streams are padded to the 4,096-byte mini-stream cutoff, so no mini stream is
written). Deterministic: the same streams give the same bytes.
"""
from __future__ import annotations

import struct

SECTOR = 512
ENDOFCHAIN, FATSECT, FREESECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
MINI_CUTOFF = 4096
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sectors(n_bytes: int) -> int:
    return (n_bytes + SECTOR - 1) // SECTOR


def _entry(name: str, kind: int, start: int, size: int, right: int = NOSTREAM,
           child: int = NOSTREAM) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00"
    return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NOSTREAM, right, child) + b"\x00" * 16 + b"\x00" * 4
            + b"\x00" * 16 + struct.pack("<IQ", start, size))


def _order(name: str) -> tuple[int, str]:
    return len(name), name.upper()  # the comparison CFB uses for siblings


def build(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding `streams` (name -> data) under its root."""
    names = sorted(streams, key=_order)
    data = {n: streams[n].ljust(MINI_CUTOFF, b"\x00") for n in names}
    starts, body, next_sector = {}, bytearray(), 0
    chains: list[int] = []
    for n in names:
        count = _sectors(len(data[n]))
        starts[n] = next_sector
        chains += [next_sector + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        body += data[n].ljust(count * SECTOR, b"\x00")
        next_sector += count
    # directory: root, then the streams as a right-leaning chain in sorted order (a valid tree)
    entries = [_entry("Root Entry", 5, ENDOFCHAIN, 0, child=1 if names else NOSTREAM)]
    for i, n in enumerate(names, 1):
        entries.append(_entry(n, 2, starts[n], len(data[n]),
                              right=i + 1 if i < len(names) else NOSTREAM))
    directory = b"".join(entries)
    directory = directory.ljust(_sectors(len(directory)) * SECTOR, b"\x00")
    dir_start, dir_count = next_sector, len(directory) // SECTOR
    chains += [dir_start + i + 1 for i in range(dir_count - 1)] + [ENDOFCHAIN]
    next_sector += dir_count
    fat_count = 1
    while (next_sector + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for this minimal writer")
    fat_start = next_sector
    chains += [FATSECT] * fat_count
    fat = struct.pack(f"<{len(chains)}I", *chains)
    fat = fat.ljust(fat_count * SECTOR, b"\xff")
    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (MAGIC + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, MINI_CUTOFF, ENDOFCHAIN, 0,
                            ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == SECTOR
    return header + bytes(body) + directory + fat
