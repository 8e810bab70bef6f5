"""In the window: a pseudonymised export first registers the children it would name (the name
offered from the case folder), then shows the review; the file is written only after both, and
names nobody."""
from __future__ import annotations

import re
import zipfile

import pytest

from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import evidence
from evidence_app.core import settings
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from evidence_app.ui.context import UiContext
from tests.factories import write_text

FOLDER = "CH-700301 Rhiannon Ó Ceallaigh"


@pytest.fixture
def dialog(tmp_path, qtbot):
    from evidence_app.ui.views.export_dialog import ExportDialog

    ws = Workspace.create(tmp_path / "ws", "Test Borough")
    cases = tmp_path / "cases"
    write_text(cases / FOLDER / "visit.txt",
               "Rhiannon said she feels safe. Her aunt Dorothy visits on Sundays.")
    add_source(ws, cases, "case-files")
    index_workspace(ws)
    settings.set_author(ws, "Priya Shah")
    evidence.tag(ws, str(cases / FOLDER / "visit.txt"), ["HP-15"],
                 quote="Rhiannon said she feels safe. Her aunt Dorothy visits on Sundays.").value
    b = bundles.create_bundle(ws, "Rhiannon Ó Ceallaigh's voice", by="custom").value
    bundles.set_settings(ws, b.id, pseudonymise=True).value
    d = ExportDialog(UiContext(ws), b.id)
    qtbot.addWidget(d)
    d.show()
    yield d
    ws.close()


def test_register_then_review_then_a_file_naming_nobody(dialog, qtbot, tmp_path):
    out = tmp_path / "exports" / "voice.docx"
    dialog.path.setText(str(out))
    dialog.start()
    qtbot.waitUntil(lambda: getattr(getattr(dialog, "pre_check", None), "dialog", None)
                    is not None, timeout=30000)
    reg = dialog.pre_check.dialog
    assert reg.windowTitle().startswith("Register")
    assert "CH-700301" in reg.table.item(0, 0).text() and reg.table.item(0, 1).text() == "E-001"
    assert reg.names[0].text() == "Rhiannon Ó Ceallaigh"          # from the folder's name
    assert not out.exists()
    reg.register.click()
    qtbot.waitUntil(lambda: dialog.pre_check.dialog is not reg, timeout=30000)
    review = dialog.pre_check.dialog
    texts = [review.table.item(r, 0).text() for r in range(review.table.rowCount())]
    assert "Dorothy" in texts                                    # an unregistered first name
    review.accept_button.click()                                 # nothing ticked: refused
    assert "Tick every remaining item" in review.message.label.text()
    review.tick_all(True)
    with qtbot.waitSignal(dialog.exported, timeout=60000):
        review.accept_button.click()
    with zipfile.ZipFile(out) as z:
        text = " ".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8", "replace"))
                        for n in z.namelist() if n.endswith((".xml", ".rels")))
    assert "Rhiannon" not in text and "Ceallaigh" not in text and "Child A" in text
    # now that the child is registered, the suggested file name is pseudonymised too
    from evidence_app.ui.views.pseudonym_dialogs import pseudonymised_title

    assert pseudonymised_title(dialog.ctx.ws, dialog.bundle.title) == "Child A's voice"
