"""Evidence items by uuid: versions merged as in revisions.py (newer replaces older, changed on
both sides is a conflict kept until someone chooses, deletions travel as versions); an item new
here quoting a passage overlapping one already here is kept and flagged as a likely duplicate."""
from __future__ import annotations

from evidence_app.core.packs.merge.documents import classify_doc, resolve_doc
from evidence_app.core.packs.merge.framework_ids import mapped
from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.packs.revisions import Head, canonical, knows, reduce, shown
from evidence_app.core.store import packs as store


def merge_item(ws, state: MergeState, pack, reader, documents, uuid, heads_json, fixed, maps,
               report, write, now) -> None:
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
            classify_doc(ws, state, doc, documents, report)
            if len(merged) > 1:
                report.conflicts.append(summary)
            return
        doc_id, doc_uuid, text_version = resolve_doc(ws, state, pack, reader, documents, doc,
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
        store.set_links(conn, item_id, mapped(win.content["enquiries"], maps),
                        mapped(win.content["requests"], maps), new=True)
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
            store.set_links(conn, item_id, mapped(win.content["enquiries"], maps),
                            mapped(win.content["requests"], maps))
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


def _flag_duplicates(conn, state: MergeState, uuid, item_id, doc_id, fixed, sender, now,
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
