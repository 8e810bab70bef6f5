"""The places of the window, registered by module path so views can be dropped in later.

Each place names a factory "package.module:Class". The class is built with `(ctx, parent)`.
While a module is absent (not written yet), the window shows a calm "Coming soon" page instead;
another kind of import failure is logged and shown as a short message, never a traceback.
"""
from __future__ import annotations

import importlib
import logging

from evidence_app.core.base.frozen import frozen

log = logging.getLogger(__name__)


@frozen
class Place:
    key: str
    title: str
    icon: str
    shortcut: str
    factory: str  # "module.path:ClassName"
    description: str


PLACES: list[Place] = [
    Place("search", "Search", "search", "Ctrl+1", "evidence_app.ui.views.search_view:SearchView",
          "Search every case file and policy, preview the text and tag passages."),
    Place("coverage", "Framework & coverage", "framework", "Ctrl+2",
          "evidence_app.ui.views.coverage_view:CoverageView",
          "See how well each line of enquiry in the inspection framework is evidenced."),
    Place("cases", "Cases", "cases", "Ctrl+3", "evidence_app.ui.views.cases_view:CasesView",
          "Children's cases with their documents, evidence and readiness checklist."),
    Place("requests", "Week-one requests", "requests", "Ctrl+4",
          "evidence_app.ui.views.requests_view:RequestsView",
          "The information Ofsted asks for in week one: owners, due dates and status."),
    Place("bundles", "Bundles", "bundles", "Ctrl+5",
          "evidence_app.ui.views.bundles_view:BundlesView",
          "Build ordered evidence bundles and export them to Word."),
    Place("sef", "Self-evaluation", "sef", "Ctrl+6", "evidence_app.ui.views.sef_view:SefView",
          "Write the self-evaluation claim by claim, each citing the evidence that proves it."),
]


class PlaceUnavailable(Exception):
    """The place's module is not in this build (yet)."""


def load_factory(place: Place):
    """The place's widget class; raises PlaceUnavailable when its module is absent."""
    module_name, _, attr = place.factory.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module_name or module_name.startswith(exc.name + ".")):
            raise PlaceUnavailable(place.title) from exc
        log.exception("The %s place could not be loaded", place.title)
        raise PlaceUnavailable(place.title) from exc
    except Exception as exc:  # noqa: BLE001 - a broken view must not stop the window
        log.exception("The %s place could not be loaded", place.title)
        raise PlaceUnavailable(place.title) from exc
    cls = getattr(module, attr, None)
    if cls is None:
        raise PlaceUnavailable(place.title)
    return cls
