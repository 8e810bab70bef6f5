"""The window's shared pieces (issue 12, point 8): one base for lists whose rows are read by key,
one for two-level trees, one view header, one export dialog frame. Real Qt, real workspace."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from evidence_app.core.base.errors import NotFound
from evidence_app.ui.models.bundle_model import BundleTreeModel
from evidence_app.ui.models.cases_model import CasesModel
from evidence_app.ui.models.coverage_model import CoverageTreeModel
from evidence_app.ui.models.evidence_items_model import EvidenceItemsModel
from evidence_app.ui.models.id_cached import IdCachedTableModel, RowCache
from evidence_app.ui.models.requests_model import RequestsModel
from evidence_app.ui.models.two_level_tree import TwoLevelTreeModel
from evidence_app.ui.views.export_base import ExportDialogBase
from evidence_app.ui.views.view_header import ViewHeader


def test_a_row_is_read_once_by_key_and_a_vanished_one_says_so():
    reads = []

    def load(key):
        reads.append(key)
        if key == "gone":
            raise NotFound("no such row")
        return {"id": key, "title": f"row {key}"}

    cache = RowCache(load, lambda key: {"id": key, "title": "(removed)"})
    cache.reset({"a": {"id": "a", "title": "fetched"}})
    assert cache.get("a")["title"] == "fetched" and reads == []   # fetched with the list
    assert cache.get("b")["title"] == "row b" and cache.get("b") and reads == ["b"]  # once
    assert cache.get("gone")["title"] == "(removed)"               # no exception reaches Qt
    cache.reset()
    cache.get("b")
    assert reads == ["b", "gone", "b"]                             # a refresh reads again


def test_the_four_lists_and_two_trees_share_their_bases():
    for model in (EvidenceItemsModel, CasesModel, RequestsModel):
        assert issubclass(model, IdCachedTableModel)
    for model in (CoverageTreeModel, BundleTreeModel):
        assert issubclass(model, TwoLevelTreeModel)


def test_a_two_level_tree_answers_qt_the_same_way_for_every_subclass(qapp):
    class Groups(TwoLevelTreeModel):
        def __init__(self, sizes):
            super().__init__()
            self.sizes = sizes

        def group_count(self):
            return len(self.sizes)

        def child_count(self, group):
            return self.sizes[group]

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return 2

        def data(self, index, role=0):
            return None

    model = Groups([2, 0, 3])
    assert model.rowCount() == 3
    third = model.index(2, 0)
    assert model.rowCount(third) == 3 and model.is_group(third)
    child = model.index(1, 1, third)
    assert not model.is_group(child) and model.group_of(child) == 2
    assert model.parent(child) == third and not model.parent(third).isValid()
    assert model.rowCount(child) == 0 and model.rowCount(model.index(0, 1)) == 0  # column 1
    assert not model.index(5, 0).isValid()


def test_the_lists_read_a_deleted_row_as_removed_not_as_an_error(qapp, tmp_path):
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws", "Shared pieces")
    try:
        cases = CasesModel(ws)
        cases.set_keys(["CH-404404"])
        assert cases.rowCount() == 1 and cases.case(0).alias == "(removed)"
        assert cases.row_of("CH-404404") == 0 and cases.row_of("nope") == -1
        items = EvidenceItemsModel(ws)
        items.set_ids([987654])
        assert items.row(0) is None and items.ids == [987654]
        assert items.index(0, 1).data() == "(deleted)" and items.index(0, 0).data() == "987654"
    finally:
        ws.close()


def test_the_view_header_reads_as_a_title_with_its_facts(qtbot):
    header = ViewHeader("Case CH-1", "Case", facts="Case details", scale=1.25)
    qtbot.addWidget(header)
    header.set_facts("Child protection (CP) · sampled")
    assert header.title.font().bold()
    assert header.title.font().pointSizeF() > header.facts.font().pointSizeF()
    assert header.title.accessibleName() == "Case"
    assert header.facts.accessibleDescription() == "Child protection (CP) · sampled"


@pytest.mark.parametrize("module, cls", [
    ("evidence_app.ui.views.export_dialog", "ExportDialog"),
    ("evidence_app.ui.views.sheet_export_dialog", "SheetExportDialog"),
])
def test_both_export_dialogs_are_one_frame(module, cls):
    import importlib

    assert issubclass(getattr(importlib.import_module(module), cls), ExportDialogBase)
