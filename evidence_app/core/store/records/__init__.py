"""The typed records the store hands out: frozen dataclasses, one class per kind of row.

Rows used to travel as dicts, read by string keys in the core, the CLI and the window; a typo was
a KeyError at run time. A record names its fields once, in this package. `as_json(record)` gives
the `--json` shape of each type (one function per type, registered beside it); those field names
are a contract other tools rely on, so they do not change when a field is added.

Everything is imported from here (`from evidence_app.core.store.records import Document`).
"""
from __future__ import annotations

from evidence_app.core.store.records.documents import *  # noqa: F401, F403

__all__ = [
    'as_json',
    'build',
    'adopt',
    'adopter',
    'from_row',
    'row_maker',
    'EvidenceItem',
    'ITEM_JSON_KEYS',
    'Request',
    'REQUEST_JSON_KEYS',
    'BundleSection',
    'Bundle',
    'BUNDLE_JSON_KEYS',
    'BundleSummary',
    'ExportLogEntry',
    'BundleRow',
    'SefCitation',
    'SefClaim',
    'SefAction',
    'SefVersion',
    'CitedItem',
    'Case',
    'CASE_JSON_KEYS',
    'CaseLink',
    'ReadinessItem',
    'FrameworkArea',
    'Enquiry',
    'FrameworkRequest',
    'FrameworkEdit',
    'COUNT_KEYS',
    'CoverageCounts',
    'CoverageRow',
    'AreaCoverage',
    'CoverageGap',
    'CaseReadiness',
    'Coverage',
    'Caseload',
    'Caseloads',
    'SavedSearch',
    'Source',
    'source_as_json',
    'Document',
    'document_as_json',
    'Chunk',
    'chunk_as_json',
    'DocumentText',
    'Problem',
    'problem_as_json',
    'IndexOverview',
    'SearchHit',
]
