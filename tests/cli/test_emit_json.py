"""`--json` output (cli/common.emit_json) is valid UTF-8 JSON that reads back to exactly the
data, whatever the text holds: a file name's undecodable bytes arrive as lone surrogates and
leave as \\udcXX escapes. The surrogate pattern now runs only when there is one (the check is
an encode), so this holds the short cut to what the pattern alone gave."""
from __future__ import annotations

import contextlib
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.cli.common import emit_json

VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(), st.sampled_from(["Caf\udce9.doc", "\ud83d", "a\udc80\udcffb", "é"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=4),
    max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_json_output_is_utf8_and_reads_back_to_the_same_data(value):
    with contextlib.redirect_stdout(io.StringIO()) as captured:
        emit_json(value)
    out = captured.getvalue()
    out.encode("utf-8")  # no lone surrogate reaches the output
    assert json.loads(out) == value
    if isinstance(value, str) and not any("\ud800" <= c <= "\udfff" for c in value):
        assert out == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_an_undecodable_file_name_is_escaped(capsys):
    emit_json([{"path": "/cases/Caf\udce9.doc"}])
    out = capsys.readouterr().out
    assert "Caf\\udce9.doc" in out and json.loads(out)[0]["path"] == "/cases/Caf\udce9.doc"
