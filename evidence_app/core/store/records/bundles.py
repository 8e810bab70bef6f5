"""Bundles, their sections, the bundle list's lines, the export log and a bundle's rows
(core/store/bundles.py reads them).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json
from evidence_app.core.store.records.evidence import EvidenceItem


@frozen
class BundleSection:
    """A section of a bundle with its evidence item ids in the bundle's order."""

    id: int
    uuid: str
    position: int
    kind: str
    ref: str | None
    title: str
    intro: str | None
    items: tuple[int, ...] = ()


@frozen
class Bundle:
    """A bundle: its settings and its sections in order (deleted items left out)."""

    id: int
    uuid: str
    title: str
    purpose: str
    grouping: str
    inspection: str | None
    prepared_by: str | None
    created_by: str | None
    created_at: str
    updated_at: str
    marking: str
    external: bool
    pseudonymise: bool
    append_sources: bool
    sections: tuple[BundleSection, ...] = ()

    @property
    def item_ids(self) -> list[int]:
        """Every item id in the order shown (the evidence numbers E-001… follow it)."""
        return [i for s in self.sections for i in s.items]

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def section_of(self, item_id: int) -> BundleSection | None:
        return next((s for s in self.sections if item_id in s.items), None)


BUNDLE_JSON_KEYS = ("id", "uuid", "title", "purpose", "grouping", "inspection", "prepared_by",
                    "created_by", "created_at", "updated_at", "marking", "external",
                    "pseudonymise", "append_sources")


@as_json.register
def _bundle_json(bundle: Bundle) -> dict:
    """The bundle's fields with its item count; `bundle show` adds its own sections."""
    return {k: getattr(bundle, k) for k in BUNDLE_JSON_KEYS} | {"items": bundle.item_count}


@frozen
class BundleSummary:
    """A line of the bundle list: counts, the last export, and the settings."""

    id: int
    uuid: str
    title: str
    grouping: str
    sections: int
    items: int
    exported_at: str | None
    updated_at: str
    marking: str
    external: bool
    pseudonymise: bool
    append_sources: bool


@as_json.register
def _summary_json(summary: BundleSummary) -> dict:
    return {k: getattr(summary, k) for k in BundleSummary.__dataclass_fields__}


@frozen
class ExportLogEntry:
    """One line of a bundle's export log: when, by whom, where, the file's SHA-256 and size,
    how many items, and whether it was pseudonymised. `sources` (each cited document: name,
    rel_path, sha256, modified, evidence numbers) and `redactions` (kind, where, count) are the
    JSON kept with the export, as written then: old exports keep their old shape."""

    id: int
    uuid: str
    bundle_id: int
    at: str
    who: str
    path: str
    manifest: str
    sha256: str
    size: int
    items: int
    pseudonymised: bool
    append_sources: bool
    sources: tuple[dict, ...]
    redactions: tuple[dict, ...]
    seconds: float | None


@as_json.register
def _export_log_json(e: ExportLogEntry) -> dict:
    """A `bundle exports --json` entry: every field, in the stored order."""
    out = {k: getattr(e, k) for k in ExportLogEntry.__dataclass_fields__}
    out["sources"], out["redactions"] = list(e.sources), list(e.redactions)
    return out


@frozen
class BundleRow:
    """One evidence item as a bundle shows it: its number (E-003), where it sits, and the item."""

    number: str
    section_id: int
    position: int
    item: EvidenceItem
