"""Merging packs into this workspace: the preview (nothing written) and the import (one
transaction, after a backup), by the same code so the preview is exactly what the import does.

The rules (also in the README, "Evidence packs"):
- evidence items by uuid, versions merged as in revisions.py: newer versions replace older ones,
  versions changed on both sides are a conflict (both kept until someone chooses), deletions
  travel as versions so an older pack cannot bring a deleted item back;
- an item new here that quotes a passage overlapping one already here on the same document
  (same file or text hash) is kept and flagged as a likely duplicate;
- cases by reference, field by field: the newer change wins, the overwritten value is listed in
  the report (real names only as "changed"); readiness ticks are unioned, keeping who ticked first;
- week-one requests the sender owns: the newer change to their status wins;
- documents: matched by file hash, then extracted-text hash, to files indexed here; otherwise a
  carried copy (--with-files) stored in the workspace's pack-files/ folder, or a reference marked
  "not on this machine" (it links up by itself when the file is indexed here);
- framework ids by id: an id unknown here is mapped (`--map OLD=NEW`) or added as a custom
  line of enquiry / request under its own id and title, and reported; never dropped.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os
import re
import sqlite3
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.fsnames import to_store
from evidence_app.core.base.progress import Progress, ProgressCallback, no_progress
from evidence_app.core.packs import local_state
from evidence_app.core.packs.pack_file import OpenedPack, PackRefused, open_pack
from evidence_app.core.store.pack_payload import PayloadReader, doc_key
from evidence_app.core.packs.revisions import VERSIONED, Head, canonical, knows, reduce, shown
from evidence_app.core.store import packs as store
from evidence_app.core.store.m002_evidence import CASE_STATUSES, KINDS, REQUEST_STATUSES, STRENGTHS
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.base.fsutil import private_dir
from evidence_app.core.store.m003_bundles import GROUPINGS

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

PACK_FILES = "pack-files"
_Chunk = namedtuple("_Chunk", "seq page heading start text")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")


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

    def counts(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated),
                "deleted": len(self.deleted), "unchanged": self.unchanged,
                "conflicts": len(self.conflicts), "duplicates": len(self.duplicates),
                "cases_added": len(self.cases_added), "cases_updated": len(
                    {c["ref"] for c in self.cases_updated}),
                "ticks_added": self.ticks_added, "requests_updated": len(self.requests_updated),
                "bundles_added": len(self.bundles_added),
                "bundles_updated": len(self.bundles_updated)}

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


@dataclass
class _State:
    """This workspace while packs are merged into it (kept current as they are applied)."""

    heads: dict[str, list[Head]]
    ids: dict[str, int]
    stamps: dict[str, dict[str, dict]]
    enquiries: set[str]
    requests: set[str]
    areas: set[str]
    docs: dict[str, tuple] = field(default_factory=dict)
    text_hashed: bool = False
    touched_items: set[str] = field(default_factory=set)
    touched_cases: set[str] = field(default_factory=set)
    touched_bundles: set[str] = field(default_factory=set)
    reanchor: set[int] = field(default_factory=set)
    passages: dict[int, list[dict]] = field(default_factory=dict)  # live items by document


def parse_maps(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        old, sep, new = str(v).partition("=")
        old, new = old.strip().upper(), new.strip().upper()
        if not sep or not _ID.match(old or "-") or not _ID.match(new or "-"):
            raise InvalidInput(f"'{v}' is not a mapping: write OLD=NEW, e.g. --map "
                               "LEAD-17=LEAD-02.")
        out[old] = new
    return out


def load_state(ws: Workspace, write: bool) -> _State:
    conn = ws.db.conn
    rows = store.item_rows(conn)
    from evidence_app.core.settings import author  # start-up: loaded only when this runs

    heads = local_state.local_heads(conn, rows, write=write)
    stamps = local_state.case_stamps(conn, write=write, by=author(ws))
    if write:
        from evidence_app.core.evidence import framework  # start-up: loaded only when this runs

        framework.ensure(ws)  # a new workspace's framework is seeded on first use
    enq, req, areas = store.known_framework_ids(conn)
    if not areas:  # a preview in a workspace whose framework is not seeded yet
        enq, req, areas = _default_framework_ids()
    return _State(heads, {r["uuid"]: r["id"] for r in rows}, stamps, enq, req, areas)


def _default_framework_ids() -> tuple[set[str], set[str], set[str]]:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.framework_io import DEFAULT_VERSION, load_version, normalise

    data = normalise(load_version(DEFAULT_VERSION), DEFAULT_VERSION)
    areas = {a["id"] for a in data["areas"]}
    enq = {e["id"] for a in data["areas"] for e in a.get("enquiries", [])}
    return enq, {r["id"] for r in data.get("requests", [])}, areas


def merge_pack(ws: Workspace, pack: OpenedPack, state: _State, maps: dict[str, str],
               write: bool, on_progress: ProgressCallback = no_progress) -> MergeReport:
    """Apply one checked pack (write) or say what applying it would do (preview)."""
    m = pack.manifest
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.framework import VERSION_KEY

    here_version = ws.get_meta(VERSION_KEY)
    report = MergeReport(pack.path.name, pack.sha256, pack.sender, pack.sender_workspace,
                         m.get("created_at"), m.get("framework_version"),
                         bool(m.get("framework_version")) and bool(here_version)
                         and m.get("framework_version") != here_version,
                         bool(m.get("no_names")), store.imported_sha(ws.db.conn, pack.sha256))
    reader = PayloadReader(pack.payload_path)
    try:
        if getattr(pack, "records", None) is None:
            check_payload(pack)
        items, cases, requests, frame, documents, bundles = pack.records
        now = clock.now_iso()
        _framework(ws, state, frame, items, requests, maps, report, write)
        on_progress(Progress(0, len(items) or 1, f"Merging {pack.path.name}"))
        for n, (uuid, heads_json, fixed) in enumerate(items):
            _item(ws, state, pack, reader, documents, uuid, heads_json, fixed, maps, report,
                  write, now)
            if n % 200 == 199:
                on_progress(Progress(n + 1, len(items), f"Merging {pack.path.name}"))
        for ref, fields, ticks, created in cases:
            _case(ws, state, ref, fields, ticks, created, report, write, pack.sender)
        for ident, row in requests:
            _request(ws, state, ident, maps.get(ident, ident), row, report, write)
        for uuid, bundle in bundles:
            _bundle(ws, state, uuid, bundle, report, write, pack.sender)
        if write:
            _fill_pending_bundles(ws, state)
        if write and state.reanchor:
            # start-up: loaded only when this runs
            from evidence_app.core.evidence.evidence import reanchor

            reanchor(ws, sorted(state.reanchor))
            state.reanchor.clear()
    finally:
        reader.close()
    return report


# -- checking what a payload holds -----------------------------------------------------------
def _validate(label, items, cases, requests, frame) -> None:
    from evidence_app.core.evidence.cases import norm_ref  # start-up: loaded only when this runs

    def bad(what: str) -> PackRefused:
        return PackRefused(f"{label} is damaged or was not made by Evidence Organiser: {what}.")

    for uuid, heads, fixed in items:
        if not isinstance(uuid, str) or not 8 <= len(uuid) <= 64 or not isinstance(heads, list) \
                or not heads or not isinstance(fixed, dict):
            raise bad("an evidence item is incomplete")
        for h in heads:
            c = h.get("content") if isinstance(h, dict) else None
            if not isinstance(c, dict) or set(c) != set(VERSIONED) or not isinstance(
                    h.get("rev"), str) or not isinstance(h.get("history", []), list):
                raise bad("an evidence item's version is incomplete")
            if c["strength"] not in STRENGTHS or c["kind"] not in KINDS:
                raise bad(f"an item has strength {c['strength']!r} or kind {c['kind']!r}")
            if not isinstance(c["note"], str) or not isinstance(c["updated_at"], str) or \
                    not all(isinstance(x, str) and _ID.match(x) for x in
                            c["enquiries"] + c["requests"]):
                raise bad("an item's note, time or framework ids are not readable")
            for k in ("case_ref", "deleted_at", "deleted_by"):
                if c[k] is not None and not isinstance(c[k], str):
                    raise bad("an item's case or deletion is not readable")
        if not isinstance(fixed.get("author"), str) or not isinstance(fixed.get("created_at"),
                                                                        str):
            raise bad("an item has no author or creation time")
        if not all(_scalar(fixed.get(k), str) for k in ("quote", "context_before",
                                                         "context_after")) or \
                not all(_scalar(fixed.get(k), int) for k in ("start", "end", "page")) or \
                not isinstance(fixed.get("doc") or {}, dict) or \
                not all(_scalar(v, (str, int)) for v in (fixed.get("doc") or {}).values()):
            raise bad("an item's quote, place or document is not readable")
    for ref, fields, ticks, _ in cases:
        if not isinstance(fields, dict) or not isinstance(ticks, list):
            raise bad(f"case {ref} is incomplete")
        try:
            if norm_ref(ref) != ref:
                raise InvalidInput(ref)
        except InvalidInput:
            raise bad(f"a case reference is not valid ({str(ref)[:40]!r})") from None
        if not all(isinstance(t, dict) and _scalar(t.get("by"), str) and
                   _scalar(t.get("at"), str) for t in ticks):
            raise bad(f"case {ref} has a readiness tick that cannot be read")
        for name, f in fields.items():
            if name not in local_state.CASE_FIELDS or not isinstance(f, dict) or \
                    not isinstance(f.get("at"), str):
                raise bad(f"case {ref} has a field {name!r} this app does not know")
            if not _scalar(f.get("value"), int if name in ("sampled", "open") else str) or \
                    not _scalar(f.get("by"), str):
                raise bad(f"case {ref} has a field {name!r} that cannot be read")
        status = (fields.get("status") or {}).get("value")
        if status is not None and status not in CASE_STATUSES:
            raise bad(f"case {ref} has legal status {status!r}")
    for ident, row in requests:
        if not isinstance(row, dict) or row.get("status") not in REQUEST_STATUSES or \
                not all(_scalar(row.get(k), str) for k in store.REQUEST_SYNC):
            raise bad(f"request {ident} is incomplete")
    for f in frame:
        if not _ID.match(str(f["id"])) or f["kind"] not in ("enquiry", "request"):
            raise bad(f"framework id {f['id']!r} is not valid")


def _scalar(value, kind) -> bool:
    """None, or a plain value of `kind` (never a list or a dict, which SQLite cannot hold)."""
    return value is None or isinstance(value, kind)


# -- framework ---------------------------------------------------------------------------------
def _framework(ws, state: _State, frame, items, requests, maps, report, write) -> None:
    described = {f["id"]: f for f in frame}
    used_enq, used_req = set(), {i for i, _ in requests}
    for _, heads, _ in items:
        for h in heads:
            used_enq |= set(h["content"]["enquiries"])
            used_req |= set(h["content"]["requests"])
    for old, new in maps.items():
        if old in used_enq and new not in state.enquiries:
            raise InvalidInput(f"--map {old}={new}: there is no line of enquiry {new} here "
                               "(see 'evidence-app framework list').")
        if old in used_req and old not in used_enq and new not in state.requests:
            raise InvalidInput(f"--map {old}={new}: there is no request {new} here.")
    for kind, used, known in (("enquiry", used_enq, state.enquiries),
                              ("request", used_req, state.requests)):
        for ident in sorted(used - known):
            d = described.get(ident, {})
            entry = {"id": ident, "kind": "line of enquiry" if kind == "enquiry" else "request",
                     "title": d.get("title"), "area": d.get("area_id")}
            if ident in maps:
                entry["mapped_to"] = maps[ident]
            else:
                entry["mapped_to"] = None
                if write:
                    _add_framework_entry(ws, state, kind, ident, d, report)
                known.add(ident) if write else None
            report.unknown_ids.append(entry)


def _add_framework_entry(ws, state: _State, kind: str, ident: str, d: dict, report) -> None:
    from evidence_app.core.evidence import framework  # start-up: loaded only when this runs

    title = d.get("title") or f"{ident} (from {report.sender}'s pack)"
    if kind == "request":
        framework.add_request(ws, title, ident=ident, description=d.get("prompt") or "")
        return
    area = d.get("area_id") or "PACKS"
    if area not in state.areas:
        store.insert_area(ws.db.conn, area, new_uuid(),
                          d.get("area_title") or "Added from evidence packs", clock.now_iso())
        state.areas.add(area)
    framework.add_enquiry(ws, area, title, d.get("prompt") or "", ident=ident)


def _mapped(ids: list[str], maps: dict[str, str]) -> list[str]:
    return sorted({maps.get(i, i) for i in ids})


# -- evidence items ----------------------------------------------------------------------------
def _item(ws, state: _State, pack, reader, documents, uuid, heads_json, fixed, maps, report,
          write, now) -> None:
    conn = ws.db.conn
    incoming = [Head.from_json(h) for h in heads_json]
    local = state.heads.get(uuid)
    doc = fixed.get("doc") or {}
    if local is None:
        merged = reduce(incoming)
        win = shown(merged)
        summary = _summary(uuid, win, fixed)
        (report.deleted if win.content.get("deleted_at") else report.added).append(summary)
        state.heads[uuid] = merged
        if not write:
            _classify_doc(ws, state, doc, documents, report)
            if len(merged) > 1:
                report.conflicts.append(summary)
            return
        doc_id, doc_uuid, text_version = _resolve_doc(ws, state, pack, reader, documents, doc,
                                                      report, now)
        values = {"uuid": uuid, "document_id": doc_id, "document_uuid": doc_uuid,
                  **_row_values(win.content), **{k: fixed.get(k) for k in (
                      "quote", "context_before", "context_after", "start", "end", "page",
                      "author", "created_at")},
                  "current_quote": fixed.get("quote"),
                  "anchor": "anchored" if fixed.get("quote") else "document",
                  "similarity": 1.0 if fixed.get("quote") else None,
                  "text_version": text_version, "anchored_at": now}
        item_id = store.insert_item(conn, values)
        state.ids[uuid] = item_id
        store.set_links(conn, item_id, _mapped(win.content["enquiries"], maps),
                        _mapped(win.content["requests"], maps), new=True)
        _put(conn, uuid, merged, win, pack.sender, now, first=True)
        store.put_fixed(conn, uuid, doc, pack.sender, pack.sender_workspace, now)
        if fixed.get("quote") and doc_id is not None and text_version is None:
            state.reanchor.add(doc_id)
        for other in merged:
            if other.rev != win.rev:
                store.insert_conflict(conn, uuid, win.rev, other.rev, pack.sender, now)
                report.conflicts.append({**summary, "item_id": item_id})
        if not win.content.get("deleted_at") and doc_id is not None:
            _flag_duplicates(conn, state, uuid, item_id, doc_id, fixed, pack.sender, now,
                             report)
        state.touched_items.add(uuid)
        return
    if all(knows(local, t.rev) for t in incoming):
        report.unchanged += 1
        return
    merged = reduce(local + incoming)
    if {h.rev for h in merged} == {h.rev for h in local}:
        report.unchanged += 1
        return
    old, win = shown(local), shown(merged)
    summary = {**_summary(uuid, win, fixed), "item_id": state.ids.get(uuid)}
    fresh = [h for h in merged if h.rev not in {x.rev for x in local}]
    is_conflict = len(merged) > 1
    if is_conflict:
        report.conflicts.append(summary)
    elif win.content.get("deleted_at") and not old.content.get("deleted_at"):
        report.deleted.append(summary)
    elif win.content != old.content:
        report.updated.append(summary)
    else:
        report.unchanged += 1
    state.heads[uuid] = merged
    if not write:
        return
    item_id = state.ids[uuid]
    if win.content != old.content:
        store.update_item(conn, item_id, _row_values(win.content))
        if win.content["enquiries"] != old.content["enquiries"] or \
                win.content["requests"] != old.content["requests"]:
            store.set_links(conn, item_id, _mapped(win.content["enquiries"], maps),
                            _mapped(win.content["requests"], maps))
    _put(conn, uuid, merged, win, pack.sender, now)
    revs = {h.rev for h in merged}
    for row in store.open_conflict_rows(conn, [uuid]):
        if row["mine_rev"] not in revs or row["theirs_rev"] not in revs:
            store.close_conflict(conn, row["id"], now, pack.sender, "settled")
    if is_conflict:
        mine = old.rev if old.rev in revs else win.rev
        for h in fresh:
            if h.rev != mine:
                store.insert_conflict(conn, uuid, mine, h.rev, pack.sender, now)
    state.touched_items.add(uuid)


def _row_values(content: dict) -> dict:
    return {k: content[k] for k in ("note", "strength", "kind", "case_ref", "updated_at",
                                    "deleted_at", "deleted_by")}


def _put(conn, uuid: str, heads: list[Head], win: Head, sender: str, now: str,
         first: bool = False) -> None:
    store.put_heads(conn, uuid, [(h.rev, canonical(h.content), canonical(sorted(h.history)))
                                 for h in heads], win.rev, sender, now, first=first)


def _summary(uuid: str, head: Head, fixed: dict) -> dict:
    doc = fixed.get("doc") or {}
    quote = fixed.get("quote") or ""
    return {"uuid": uuid, "document": doc.get("title") or doc.get("name"),
            "quote": quote[:80] + ("…" if len(quote) > 80 else ""),
            "author": fixed.get("author"), "enquiries": head.content.get("enquiries"),
            "updated_at": head.content.get("updated_at")}


def _flag_duplicates(conn, state: _State, uuid, item_id, doc_id, fixed, sender, now,
                     report) -> None:
    """Flag a new item against the first item here (lowest id) quoting an overlapping passage
    of the same document, tagged by someone else: one flag per item, however many people
    tagged the passage (one person's own items are not independent of each other)."""
    if doc_id not in state.passages:  # in id order; new items are appended, so it stays so
        state.passages[doc_id] = sorted(store.passages_on(conn, [doc_id]), key=lambda r: r["id"])
    here = state.passages[doc_id]
    mine = {"id": item_id, "uuid": uuid, "quote": fixed.get("quote"),
            "start": fixed.get("start"), "end": fixed.get("end"), "author": fixed.get("author")}
    for other in here:
        if other["uuid"] != uuid and other["author"] != mine["author"] and \
                _overlap(mine, other):
            if store.insert_duplicate(conn, uuid, other["uuid"], sender, now):
                report.duplicates.append({"uuid": uuid, "item_id": item_id,
                                          "other_uuid": other["uuid"], "other_id": other["id"]})
            break
    here.append(mine)


def _overlap(a: dict, b: dict) -> bool:
    qa, qb = _norm(a["quote"]), _norm(b["quote"])
    if not qa and not qb:
        return True  # both filed the whole document
    if not qa or not qb:
        return False
    s1, e1, s2, e2 = a["start"], a["end"], b["start"], b["end"]
    spans = None not in (s1, e1, s2, e2) and s1 < e2 and s2 < e1
    return spans or qa in qb or qb in qa


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


# -- documents ---------------------------------------------------------------------------------
def _lookup(ws, state: _State, doc: dict) -> tuple[tuple | None, str]:
    conn = ws.db.conn
    key = doc_key(doc)
    if key is None:
        return None, "none"
    if key in state.docs:
        return state.docs[key]
    found, how = None, "not_here"
    if doc.get("sha256"):
        found = store.docs_by_sha(conn, [doc["sha256"]]).get(doc["sha256"])
        how = "matched_file"
        if found is not None and store.doc_by_path(conn, "evpack:" + key) == found:
            how = "not_here"  # the reference made by an earlier pack
    if found is None and doc.get("text_sha256"):
        if not state.text_hashed and conn.in_transaction:
            local_state.fill_text_hashes(conn)
            state.text_hashed = True
        found = store.docs_by_text_sha(conn, [doc["text_sha256"]]).get(doc["text_sha256"])
        how = "matched_text"
    if found is None:
        found, how = store.doc_by_path(conn, "evpack:" + key), "not_here"
    result = (found, how if found is not None else "not_here")
    if found is not None:
        state.docs[key] = result
    return result


def _classify_doc(ws, state: _State, doc: dict, documents: dict, report) -> None:
    found, how = _lookup(ws, state, doc)
    if how == "none":
        return
    if found is None and (documents.get(doc_key(doc)) or ({}, None))[1]:
        how = "carried"
    _count_doc(report, how, doc)


def _count_doc(report, how: str, doc: dict) -> None:
    key = doc_key(doc)
    if key in report.counted_documents:
        return
    report.counted_documents.append(key)
    if how in report.documents:
        report.documents[how] += 1
    if how == "not_here":
        name = doc.get("title") or doc.get("name") or doc_key(doc)
        if name not in report.not_here:
            report.not_here.append(name)


def _resolve_doc(ws, state: _State, pack, reader, documents, doc: dict, report,
                 now) -> tuple[int | None, str | None, int | None]:
    """The local document for an item's document facts (creating a carried copy or a
    reference when there is none). Returns (id, uuid, text version to trust or None)."""
    found, how = _lookup(ws, state, doc)
    key = doc_key(doc)
    if how == "none":
        return None, None, None
    if found is None:
        carried = (documents.get(key) or ({}, None))[1]
        if carried and carried in pack.files:
            found = _carry(ws, pack, reader, key, doc, carried, now)
            how = "carried"
        else:
            found = _reference(ws, pack, key, doc, now)
        state.docs[key] = (found, how)
    _count_doc(report, how, doc)
    doc_id, doc_uuid, version = found
    same_text = how in ("matched_text", "carried") or (
        doc.get("text_sha256") is not None and
        local_state.text_sha(ws.db.conn, doc_id, version) == doc.get("text_sha256"))
    return doc_id, doc_uuid, version if same_text else None


def _carry(ws, pack, reader, key, doc, sha, now) -> tuple[int, str, int]:
    """Store a pack-carried copy inside the workspace (never in a source folder) and index the
    text the pack carried with it."""
    # start-up: loaded only when this runs
    from evidence_app.core.store.documents import insert_chunks

    folder = ws.root / PACK_FILES / sha[:2]
    private_dir(ws.root / PACK_FILES)
    private_dir(folder)
    name = _safe_name(doc.get("name") or sha)
    target = folder / f"{sha[:16]}-{name}"
    if not target.exists():
        data = pack.read_file(sha)
        tmp = target.with_name(target.name + ".tmp")
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    chunks = [_Chunk(*c) for c in reader.chunks(key)]
    doc_uuid = new_uuid()
    doc_id = store.insert_document(ws.db.conn, {
        "uuid": doc_uuid, "source_id": None, "path": to_store(str(target)), "member": "",
        "rel_path": doc.get("rel_path") or name, "name": doc.get("name") or name,
        "title": doc.get("title"), "format": doc.get("format") or "unknown",
        "size": target.stat().st_size, "mtime": target.stat().st_mtime, "sha256": sha,
        "status": "indexed" if chunks else "empty",
        "reason": f"A copy carried in {pack.sender}'s evidence pack.",
        "pages": doc.get("pages"), "chars": sum(len(c.text) for c in chunks),
        "case_ref": doc.get("case_ref"), "text_version": 1, "first_seen": now,
        "indexed_at": now})
    insert_chunks(ws.db.conn, doc_id, chunks)
    return doc_id, doc_uuid, 1


def _reference(ws, pack, key, doc, now) -> tuple[int, str, int]:
    """A document that is not on this machine: a reference the indexer adopts (by its file
    hash) when the file is indexed here."""
    doc_uuid = new_uuid()
    name = doc.get("name") or key
    doc_id = store.insert_document(ws.db.conn, {
        "uuid": doc_uuid, "source_id": None, "path": "evpack:" + key, "member": "",
        "rel_path": doc.get("rel_path") or name, "name": name, "title": doc.get("title"),
        "format": doc.get("format") or "unknown", "sha256": doc.get("sha256"),
        "status": "missing",
        "reason": f"Not on this machine: evidence in {pack.sender}'s pack points at it. It links "
                  "up by itself when the file is indexed here.",
        "pages": doc.get("pages"), "case_ref": doc.get("case_ref"), "text_version": 0,
        "first_seen": now, "missing_since": now})
    return doc_id, doc_uuid, 0


def _safe_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w .()-]+", "_", base).strip(" .") or "file"
    return base[:120]


# -- cases -------------------------------------------------------------------------------------
HIDDEN = set(local_state.NAME_FIELDS)


def _case(ws, state: _State, ref, fields, ticks, created, report, write, sender) -> None:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.cases import next_alias, norm_ref

    conn = ws.db.conn
    ref = norm_ref(ref)
    rows = store.case_rows(conn, [ref])
    mine = state.stamps.setdefault(ref, {})
    now = clock.now_iso()
    if not rows:
        report.cases_added.append(ref)
        for f, inc in fields.items():
            mine[f] = inc
        if not write:
            return
        values = {f: inc["value"] for f, inc in fields.items()}
        alias = values.get("alias")
        if not alias or store.alias_owner(conn, alias):
            if alias:
                report.notes.append(f"case {ref}: the alias {alias} is used here by case "
                                    f"{store.alias_owner(conn, alias)}, so it was given another.")
            values["alias"] = next_alias(ws)
        at = max([inc["at"] for inc in fields.values()] or [created or now])
        values.update({"uuid": new_uuid(), "ref": ref, "created_at": created or at,
                       "updated_at": at})
        for k, default in (("sampled", 0), ("open", 1), ("redact", "[]"), ("other_names", "[]"),
                           ("relatives", "[]")):
            if values.get(k) is None:
                values[k] = default
        case_id = store.insert_case(conn, values)
        for f, inc in fields.items():
            if f != "alias" or values["alias"] == inc["value"]:
                store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
        _ticks(conn, case_id, ticks, report)
        _touch_case(conn, state, ref)
        return
    row = rows[0]
    changes: dict = {}
    for f, inc in sorted(fields.items()):
        have = mine.get(f)
        if have is not None and (inc["at"], canonical(inc["value"])) <= (
                have["at"], canonical(have["value"])):
            continue
        mine[f] = inc
        if row.get(f) == inc["value"]:
            if write:
                store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
            continue
        if f == "alias" and inc["value"] and store.alias_owner(conn, inc["value"]) not in (
                None, ref):
            report.notes.append(f"case {ref}: the alias {inc['value']} is used here by another "
                                "case, so it was kept as it was.")
            continue
        changes[f] = inc["value"]
        shown_old = "changed (not shown: names stay on this machine)" if f in HIDDEN else \
            f"{_show(row.get(f))} replaced by {_show(inc['value'])}"
        report.cases_updated.append({"ref": ref, "field": f, "overwritten": None if f in HIDDEN
                                     else row.get(f), "by": inc.get("by"), "at": inc["at"],
                                     "shown": shown_old})
        if write:
            store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
    if not changes:
        report.cases_unchanged += 1
    if write:
        if changes:
            changes["updated_at"] = max([row["updated_at"]] + [fields[f]["at"] for f in changes
                                                                if f in fields])
            store.update_case(conn, row["id"], changes)
            _touch_case(conn, state, ref)
        if _ticks(conn, row["id"], ticks, report):
            _touch_case(conn, state, ref)
    else:
        have = store.readiness_ticks(conn, row["id"])
        report.ticks_added += sum(1 for t in ticks if not (have.get(t.get("item")) or {}).get(
            "done"))


def _ticks(conn, case_id: int, ticks: list, report) -> bool:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.cases import READINESS_KEYS

    have = store.readiness_ticks(conn, case_id)
    changed = False
    for t in ticks:
        item = t.get("item")
        if item not in READINESS_KEYS:
            continue
        old = have.get(item)
        key = (t.get("at") or "", t.get("by") or "")
        if old and old["done"] and (old["at"] or "", old["by"] or "") <= key:
            continue
        if not (old and old["done"]):
            report.ticks_added += 1
        store.put_tick(conn, case_id, item, t.get("by"), t.get("at"))
        have[item] = {"done": True, "by": t.get("by"), "at": t.get("at")}
        changed = True
    return changed


def _touch_case(conn, state: _State, ref: str) -> None:
    state.touched_cases.add(ref)


def _show(value) -> str:
    return "(empty)" if value in (None, "", "[]") else repr(value)


# -- requests ----------------------------------------------------------------------------------
def _request(ws, state: _State, ident: str, local_id: str, row: dict, report, write) -> None:
    conn = ws.db.conn
    have = store.request_row(conn, local_id)
    if have is None:
        return
    fields = [k for k in store.REQUEST_SYNC]
    inc = (row.get("updated_at") or "", canonical({k: row.get(k) for k in fields}))
    cur = (have.get("updated_at") or "", canonical({k: have.get(k) for k in fields}))
    if inc <= cur or all(row.get(k) == have.get(k) for k in fields):
        return
    changes = {k: row.get(k) for k in fields if row.get(k) != have.get(k)}
    report.requests_updated.append({"id": local_id, "fields": sorted(changes),
                                    "status": row.get("status")})
    if write:
        store.update_request(conn, local_id, changes)


# -- bundles -----------------------------------------------------------------------------------
def _validate_bundles(label: str, bundles) -> None:
    for uuid, b in bundles:
        ok = isinstance(b, dict) and isinstance(b.get("fields"), dict) and \
            set(store.BUNDLE_FIELDS) <= set(b["fields"]) and \
            isinstance(b["fields"].get("updated_at"), str) and \
            isinstance(b["fields"].get("title"), str) and \
            b["fields"].get("grouping") in GROUPINGS and isinstance(b.get("sections"), list) and \
            isinstance(b.get("items"), list) and \
            all(_scalar(v, (str, int)) for v in b["fields"].values()) and \
            all(isinstance(x, dict) and x.get("kind") in GROUPINGS and isinstance(
                x.get("uuid"), str) and isinstance(x.get("title"), str) and isinstance(
                x.get("position"), int) for x in b["sections"]) and \
            all(isinstance(x, dict) and isinstance(x.get("item"), str) and isinstance(
                x.get("section"), str) and isinstance(x.get("position"), int)
                for x in b["items"])
        if not ok:
            raise PackRefused(f"{label} is damaged or was not made by Evidence Organiser: bundle "
                              f"{str(uuid)[:40]} is incomplete.")


def _bundle(ws, state: _State, uuid: str, incoming: dict, report, write, sender) -> None:
    """Bundles by uuid: the most recently changed version wins as a whole (the version it
    replaced is named in the report; the backup holds it)."""
    conn = ws.db.conn
    local = store.bundle_states(conn, [uuid]).get(uuid)
    title = incoming["fields"]["title"]
    if local is not None:
        kept = dict(store.pending_bundles(conn)).get(uuid)
        if kept is not None and kept["fields"]["updated_at"] == local["fields"]["updated_at"]:
            local = kept  # as the pack gave it, with items that have not arrived yet
        if canonical(incoming) == canonical(local) or (
                incoming["fields"]["updated_at"], canonical(incoming)) <= (
                local["fields"]["updated_at"], canonical(local)):
            return
        report.bundles_updated.append({"uuid": uuid, "title": title,
                                       "at": incoming["fields"]["updated_at"],
                                       "replaced_at": local["fields"]["updated_at"]})
    else:
        report.bundles_added.append(title)
    if write:
        missing = store.replace_bundle(conn, uuid, incoming)
        store.put_pack_bundle(conn, uuid, incoming, missing, sender)
        state.touched_bundles.add(uuid)


def _fill_pending_bundles(ws, state: _State) -> None:
    """Items that arrived since a bundle did take their places in it (unless it changed here
    since)."""
    conn = ws.db.conn
    for uuid, kept in store.pending_bundles(conn):
        here = store.bundle_states(conn, [uuid]).get(uuid)
        if here is None or here["fields"]["updated_at"] != kept["fields"]["updated_at"]:
            store.forget_pack_bundle(conn, uuid)
            continue
        if len(here["items"]) < len(kept["items"]):
            missing = store.replace_bundle(conn, uuid, kept)
            store.put_pack_bundle(conn, uuid, kept, missing, None)
            state.touched_bundles.add(uuid)


# -- journal -----------------------------------------------------------------------------------
def snapshot(db, import_uuid: str) -> dict:
    """The journal's state for a pack import: every item and case it touched, in the shape of
    journal.entity_state (read in a few queries, not three per item)."""
    # start-up: loaded only when this runs
    from evidence_app.core.safety.journal import entity_state

    touched = store.import_touched(db.conn, import_uuid)
    ents = store.item_states(db.conn, touched.get("items", []))
    for uuid in touched.get("cases", []):
        ents.append(entity_state(db, "case", uuid))
    for uuid in touched.get("bundles", []):
        ents.append(entity_state(db, "bundle", uuid))
    return {"entities": ents}


def register_journal() -> None:
    from evidence_app.core.safety import journal  # start-up: loaded only when this runs

    journal.SNAPSHOTS.setdefault("pack", snapshot)


def check_all(paths: list[str | Path]) -> list[OpenedPack]:
    """Open and check every pack before any is used (one bad pack: nothing is written)."""
    opened: list[OpenedPack] = []
    try:
        for p in paths:
            opened.append(open_pack(p))
            check_payload(opened[-1])
    except BaseException:
        for o in opened:
            o.close()
        raise
    return opened


def check_payload(pack: OpenedPack) -> None:
    """Every record of the payload readable and of the expected shape (before any backup)."""
    reader = PayloadReader(pack.payload_path)
    try:
        if reader.info().get("workspace_id") != pack.sender_workspace:
            raise PackRefused(f"{pack.path.name} was changed after it was made: its payload "
                              "belongs to another pack.")
        records = (reader.items(), reader.cases(), reader.requests(), reader.framework(),
                   reader.documents(), reader.bundles())
        _validate(pack.path.name, *records[:4])
        _validate_bundles(pack.path.name, records[5])
        pack.records = records  # read once: the preview and the import use these
    except (ValueError, TypeError, KeyError, AttributeError, sqlite3.DatabaseError) as exc:
        raise PackRefused(f"{pack.path.name} is damaged: a record in it cannot be read "
                          f"({type(exc).__name__}).") from None
    finally:
        reader.close()


def report_json(report: MergeReport) -> str:
    return json.dumps(report.to_json(), sort_keys=True, default=str)
