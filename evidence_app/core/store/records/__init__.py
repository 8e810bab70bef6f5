"""The typed records the store hands out: frozen dataclasses, one class per kind of row, in one
module per family (evidence, requests, bundles, sef, cases, framework, coverage, search,
documents) over `base` (`as_json` and the ways rows become records).

Rows used to travel as dicts, read by string keys in the core, the CLI and the window; a typo was
a KeyError at run time. A record names its fields once, in its family's module. `as_json(record)`
gives the `--json` shape of each type (one function per type, registered beside its class);
those field names are a contract other tools rely on, so they do not change when a field is
added. Import records from here (`from evidence_app.core.store.records import Document`): this
module loads every family, so every `as_json` shape is registered.
"""
from __future__ import annotations

from evidence_app.core.store.records.base import (
    as_json, build, adopt, adopter, from_row, row_maker,
)
from evidence_app.core.store.records.evidence import EvidenceItem, ITEM_JSON_KEYS
from evidence_app.core.store.records.requests import Request, REQUEST_JSON_KEYS
from evidence_app.core.store.records.bundles import (
    BundleSection, Bundle, BUNDLE_JSON_KEYS, BundleSummary, ExportLogEntry, BundleRow,
)
from evidence_app.core.store.records.sef import (
    SefCitation, SefClaim, SefAction, SefVersion, CitedItem,
)
from evidence_app.core.store.records.cases import Case, CASE_JSON_KEYS, CaseLink, ReadinessItem
from evidence_app.core.store.records.framework import (
    FrameworkArea, Enquiry, FrameworkRequest, FrameworkEdit,
)
from evidence_app.core.store.records.coverage import (
    COUNT_KEYS, CoverageCounts, CoverageRow, AreaCoverage, CoverageGap, CaseReadiness,
    Coverage, Caseload, Caseloads,
)
from evidence_app.core.store.records.search import SavedSearch, SearchHit
from evidence_app.core.store.records.documents import (
    Source, source_as_json, Document, document_as_json, Chunk, chunk_as_json, DocumentText,
    Problem, problem_as_json, IndexOverview,
)

__all__ = [
    "as_json",
    "build",
    "adopt",
    "adopter",
    "from_row",
    "row_maker",
    "EvidenceItem",
    "ITEM_JSON_KEYS",
    "Request",
    "REQUEST_JSON_KEYS",
    "BundleSection",
    "Bundle",
    "BUNDLE_JSON_KEYS",
    "BundleSummary",
    "ExportLogEntry",
    "BundleRow",
    "SefCitation",
    "SefClaim",
    "SefAction",
    "SefVersion",
    "CitedItem",
    "Case",
    "CASE_JSON_KEYS",
    "CaseLink",
    "ReadinessItem",
    "FrameworkArea",
    "Enquiry",
    "FrameworkRequest",
    "FrameworkEdit",
    "COUNT_KEYS",
    "CoverageCounts",
    "CoverageRow",
    "AreaCoverage",
    "CoverageGap",
    "CaseReadiness",
    "Coverage",
    "Caseload",
    "Caseloads",
    "SavedSearch",
    "Source",
    "source_as_json",
    "Document",
    "document_as_json",
    "Chunk",
    "chunk_as_json",
    "DocumentText",
    "Problem",
    "problem_as_json",
    "IndexOverview",
    "SearchHit",
]
