"""Whatever a person types into claims, actions and version names, the self-evaluation exports
to a Word file that opens, with the words readable in it (or the write is refused in one line);
never a traceback."""
from __future__ import annotations

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.sef import actions, claims, export, versions

ANY = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(ANY, min_size=1, max_size=4), what=ANY, owner=ANY, name=ANY)
def test_any_text_exports_or_is_refused_calmly(ws, tmp_path_factory, texts, what, owner, name):
    written = []
    for n, text in enumerate(texts):
        try:
            c = claims.add(ws, ("overview", "LEAD", "HP", "CL")[n % 4], "plans", text,
                           type="development").value
        except EvidenceError as exc:
            assert "\n" not in str(exc)
            continue
        written.append(c)
        try:
            actions.add(ws, c.id, what, owner=owner)
        except EvidenceError as exc:
            assert "\n" not in str(exc)
    try:
        versions.freeze(ws, name)
    except EvidenceError as exc:
        assert "\n" not in str(exc)
    out = tmp_path_factory.mktemp("x") / "sef.docx"
    r = export.export(ws, out)
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    for c in written:
        words = [w for w in c.text.split() if w.isalnum() and w.isascii()]
        for w in words[:3]:
            assert w in body
    assert r.claims == len(claims_now(ws))


def claims_now(ws):
    from evidence_app.core.store import sef as store

    return store.claims(ws.db)
