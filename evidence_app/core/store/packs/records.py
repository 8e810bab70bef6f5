"""Typed records of pack bookkeeping: an import, a conflict, a likely duplicate, a sender."""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen



@frozen
class PackImport:
    """One pack merged into this workspace (its report is kept for later reading)."""

    id: int
    uuid: str
    pack_sha256: str
    file_name: str
    sender: str | None
    sender_workspace: str | None
    pack_created_at: str | None
    imported_at: str
    imported_by: str
    added: int
    updated: int
    unchanged: int
    conflicts: int
    duplicates: int
    report: dict


@frozen
class Conflict:
    """An item changed on both sides: two versions kept until a person chooses."""

    id: int
    item_uuid: str
    item_id: int | None
    mine_rev: str
    theirs_rev: str
    mine: dict | None
    theirs: dict | None
    sender: str | None
    found_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None


@frozen
class Duplicate:
    """Two items quoting the same passage of the same document, tagged independently."""

    id: int
    item_a: str
    item_b: str
    id_a: int | None
    id_b: int | None
    sender: str | None
    found_at: str
    decided_at: str | None
    decision: str | None


@frozen
class Sender:
    """One person whose packs were merged here (the team view)."""

    sender: str
    workspace: str | None
    packs: int
    last_pack_at: str | None
    last_imported_at: str
    items_added: int
    items_now: int
    conflicts_open: int


def as_json(record) -> dict:
    return dict(record.__dict__)
