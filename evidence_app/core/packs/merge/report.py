"""What one pack did, or in a preview would do: the merge report, kept as JSON with the import
and shown by `pack report`, the import dialog and the team view.

The report is built up while a pack merges and kept as JSON, so its lists hold the JSON entries;
what the dialog and the CLI read from it comes as records: `tally()` (MergeCounts: the counts
`--json` prints), `unknown()` (UnknownId: framework ids this workspace lacks) and `not_found`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from evidence_app.core.base.frozen import frozen
from evidence_app.core.store.records import as_json


@frozen
class MergeCounts:
    """How many items, cases, ticks, requests and bundles a pack adds, updates or leaves alone
    (the `counts` of `pack import --json`); sums over several packs with `+`."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    cases_added: int = 0
    cases_updated: int = 0
    ticks_added: int = 0
    requests_updated: int = 0
    bundles_added: int = 0
    bundles_updated: int = 0

    def __add__(self, other: MergeCounts) -> MergeCounts:
        return MergeCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                              for f in fields(self)})

    @property
    def cases(self) -> int:
        """Cases added or updated."""
        return self.cases_added + self.cases_updated


@as_json.register
def _counts_json(c: MergeCounts) -> dict:
    return {f.name: getattr(c, f.name) for f in fields(c)}


@frozen
class UnknownId:
    """A framework id the pack uses that this workspace does not know: mapped to one of ours
    (`mapped_to`) or added here as a custom line of enquiry or request (`mapped_to` None)."""

    id: str
    kind: str  # "line of enquiry" or "request"
    title: str | None
    area: str | None
    mapped_to: str | None

    @classmethod
    def from_json(cls, entry: dict) -> UnknownId:
        return cls(entry["id"], entry.get("kind") or "line of enquiry", entry.get("title"),
                   entry.get("area"), entry.get("mapped_to"))


@dataclass
class MergeReport:
    """What one pack did (or, in a preview, would do). Kept as JSON in pack_imports."""

    file: str
    sha256: str
    sender: str
    sender_workspace: str | None
    created_at: str | None
    framework_version: str | None
    framework_differs: bool = False
    no_names: bool = False
    already_imported: bool = False
    added: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    deleted: list[dict] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    cases_added: list[str] = field(default_factory=list)
    cases_updated: list[dict] = field(default_factory=list)
    cases_unchanged: int = 0
    ticks_added: int = 0
    requests_updated: list[dict] = field(default_factory=list)
    bundles_added: list[str] = field(default_factory=list)
    bundles_updated: list[dict] = field(default_factory=list)
    documents: dict = field(default_factory=lambda: {"matched_file": 0, "matched_text": 0,
                                                     "carried": 0, "not_here": 0})
    not_here: list[str] = field(default_factory=list)
    unknown_ids: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counted_documents: list[str] = field(default_factory=list)  # each document counted once

    def tally(self) -> MergeCounts:
        return MergeCounts(
            added=len(self.added), updated=len(self.updated), deleted=len(self.deleted),
            unchanged=self.unchanged, conflicts=len(self.conflicts),
            duplicates=len(self.duplicates), cases_added=len(self.cases_added),
            cases_updated=len({c["ref"] for c in self.cases_updated}),
            ticks_added=self.ticks_added, requests_updated=len(self.requests_updated),
            bundles_added=len(self.bundles_added), bundles_updated=len(self.bundles_updated))

    def counts(self) -> dict:
        """The tally as the report's JSON keeps it."""
        return as_json(self.tally())

    def unknown(self) -> tuple[UnknownId, ...]:
        """The framework ids this workspace does not know, and what became of each."""
        return tuple(UnknownId.from_json(u) for u in self.unknown_ids)

    @property
    def not_found(self) -> int:
        """Documents the pack's items cite that are not on this machine."""
        return self.documents.get("not_here", 0)

    def changes_anything(self) -> bool:
        c = self.counts()
        return any(v for k, v in c.items() if k != "unchanged")

    def to_json(self) -> dict:
        out = {**self.__dict__, "counts": self.counts()}
        out.pop("counted_documents", None)
        return out

    def lines(self) -> list[str]:
        c = self.counts()
        out = [f"{self.file} from {self.sender} (made {self.created_at or 'at an unknown time'}):"]
        if self.already_imported:
            out.append("  already merged here before.")
        if self.framework_differs:
            out.append(f"  made with framework {self.framework_version}, which differs from "
                       "this workspace's.")
        out.append(f"  evidence: {c['added']} to add, {c['updated']} to update, {c['deleted']} "
                   f"deleted there, {c['unchanged']} left alone, {c['conflicts']} in conflict, "
                   f"{c['duplicates']} likely duplicates")
        out.append(f"  cases: {c['cases_added']} to add, {c['cases_updated']} to update, "
                   f"{self.cases_unchanged} left alone; {self.ticks_added} readiness ticks")
        d = self.documents
        out.append(f"  documents: {d['matched_file']} found here by file, {d['matched_text']} by "
                   f"text, {d['carried']} carried copies, {d['not_here']} not on this machine")
        for u in self.unknown_ids:
            how = f"mapped to {u['mapped_to']}" if u.get("mapped_to") else \
                "added here as a custom entry"
            out.append(f"  {u['kind']} {u['id']} ({u.get('title') or 'no title'}) is not in "
                       f"this framework: {how}")
        for ch in self.cases_updated:
            out.append(f"  case {ch['ref']}: {ch['field']} {ch['shown']}")
        for title in self.bundles_added:
            out.append(f"  bundle added: {title}")
        for b in self.bundles_updated:
            out.append(f"  bundle {b['title']}: the version changed {b['replaced_at']} here was "
                       f"replaced by theirs of {b['at']}")
        for conflict in self.conflicts:
            out.append(f"  conflict: item {conflict.get('item_id') or conflict['uuid']} changed "
                       "here and there")
        for note in self.notes:
            out.append(f"  {note}")
        return out


def report_json(report: MergeReport) -> str:
    return json.dumps(report.to_json(), sort_keys=True, default=str)
