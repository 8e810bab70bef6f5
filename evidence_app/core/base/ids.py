"""Identifiers: the one way the app names a new record (a random UUID, as text).

A leaf (no imports from the app) so that every stage and the store can name records without
importing the workspace, which sits above them all.
"""
from __future__ import annotations


def new_uuid() -> str:
    """A new record's uuid: random (version 4), so no two machines or restores ever collide."""
    import uuid  # start-up: uuid loads platform; read-only commands never name a record

    return str(uuid.uuid4())
