"""The list of change areas lives in the core (issue 12, point 4): every place of the window
refreshes by the core's names, and a misspelt area fails at once instead of refreshing nothing."""
from __future__ import annotations

import pytest

from evidence_app.core.base.changes import AREAS, Changes
from evidence_app.ui.context import UiContext
from evidence_app.ui.views.bundles_view import BundlesView
from evidence_app.ui.views.cases_view import CasesView
from evidence_app.ui.views.coverage_view import CoverageView
from evidence_app.ui.views.requests_view import RequestsView
from evidence_app.ui.views.sef_view import SefView


@pytest.mark.parametrize("place", [BundlesView, CasesView, CoverageView, RequestsView, SefView])
def test_every_place_listens_for_the_cores_areas_only(place):
    assert place.AREAS, f"{place.__name__} refreshes on nothing"
    assert set(place.AREAS) <= set(AREAS), set(place.AREAS) - set(AREAS)


def test_a_misspelt_area_is_refused_and_a_known_one_reaches_the_places(tmp_path, qtbot):
    from evidence_app.core.workspace import Workspace

    ctx = UiContext(Workspace.create(tmp_path / "ws", "Areas"))
    heard = []
    ctx.hub.changed.connect(heard.append)
    with pytest.raises(ValueError, match="evidnce"):
        ctx.changed({"evidence", "evidnce"})
    assert heard == []
    ctx.changed("evidence")
    ctx.changed(Changes.of("cases", "bundles").areas)
    assert heard == [{"evidence"}, {"cases", "bundles"}]
