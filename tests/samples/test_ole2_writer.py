"""The compound-file writer behind the .msg samples: whatever it is given, a reader gets it back.

olefile (installed with extract-msg) is the independent reader: every stream's bytes, in every
storage, on both sides of the 4,096-byte mini-stream cutoff, must come back unchanged.
"""
from __future__ import annotations

import io
import string

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.samples.writers.ole2 import MINI_CUTOFF, compound_file

NAMES = st.text(string.ascii_letters + string.digits + "_ .#-", min_size=1, max_size=31)
SIZES = st.sampled_from([0, 1, 63, 64, 65, 511, 512, MINI_CUTOFF - 1, MINI_CUTOFF,
                         MINI_CUTOFF + 1, 9000])


def _unique(d: dict) -> dict:
    seen, out = set(), {}
    for k, v in d.items():
        if k.upper() not in seen:
            seen.add(k.upper())
            out[k] = v
    return out


def _stream(size: int, seed: int) -> bytes:
    return bytes((seed + i * 7) % 256 for i in range(size))


TREES = st.recursive(
    st.builds(_stream, SIZES, st.integers(0, 255)),
    lambda children: st.dictionaries(NAMES, children, max_size=6).map(_unique),
    max_leaves=25,
).filter(lambda t: isinstance(t, dict))


def _walk(tree: dict, prefix: tuple = ()):
    for name, value in tree.items():
        if isinstance(value, dict):
            yield from _walk(value, prefix + (name,))
        else:
            yield prefix + (name,), value


@settings(max_examples=80, deadline=None)
@given(TREES)
def test_every_stream_reads_back_unchanged(tree):
    data = compound_file(tree)
    assert len(data) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(data))
    streams = dict(_walk(tree))
    assert sorted(tuple(p) for p in ole.listdir(streams=True, storages=False)) == sorted(streams)
    for path, content in streams.items():
        assert ole.openstream("/".join(path)).read() == content


def test_names_longer_than_the_format_allows_are_refused():
    with pytest.raises(ValueError, match="31 characters"):
        compound_file({"x" * 32: b"data"})
