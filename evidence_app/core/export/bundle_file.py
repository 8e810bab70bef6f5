"""A bundle on disk: render it, write it atomically, and leave its manifest beside it.

The manifest lists every source the bundle cites, with its SHA-256 and the evidence numbers that
cite it, so anyone can later prove which version of which file an inspector was shown. When the
bundle is pseudonymised, the names in the manifest are the pseudonymised ones (the manifest may
travel with the document) and the redaction counts are included.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import clock
from ..errors import Cancelled
from ..progress import CancelToken, ProgressCallback
from .files import check_target, write_atomic, write_manifest
from .model import BundleDoc
from .redact import Entry
from .word import render


@dataclass
class BundleExport:
    path: Path
    sha256: str
    size: int
    manifest: Path
    sources: list[dict]
    redactions: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pdf_pages: int = 0
    seconds: float = 0.0
    pseudonymised: bool = False
    items: int = 0


def source_list(bundle: BundleDoc) -> list[dict]:
    """Each distinct source once, in order of first citation, with the numbers citing it."""
    seen: dict[tuple, dict] = {}
    for item in bundle.items:
        s = item.source
        if s is None:
            continue
        key = (s.sha256, s.rel_path or s.name)
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = {"name": s.name, "rel_path": s.rel_path, "sha256": s.sha256,
                                 "modified": s.modified, "evidence": []}
        entry["evidence"].append(item.number)
    appended = {(a.source.sha256, a.source.rel_path or a.source.name): a.number
                for a in bundle.appendices}
    for key, entry in seen.items():
        if key in appended:
            entry["appendix"] = appended[key]
    return list(seen.values())


def write_bundle(bundle: BundleDoc, out: Path, *, force: bool = False, info: dict | None = None,
                 template: Path | None = None, when: dt.datetime | None = None,
                 on_progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> BundleExport:
    """Render, then write the .docx and its manifest. Refuses an existing file unless `force`.
    Progress goes to `on_progress`; a `cancel` request before the file is in place raises
    `Cancelled` and leaves nothing behind (the render is in memory, the write atomic)."""
    out = check_target(Path(out), force=force, suffix=".docx")
    start = clock.now()
    when = when or start
    rendered = render(bundle, template=template, when=when, on_progress=on_progress,
                      cancel=cancel)
    if cancel is not None and cancel.cancelled:
        raise Cancelled("Export cancelled; nothing was written.")
    written = write_atomic(out, rendered.data, force=force)
    shown = rendered.bundle
    sources = source_list(shown)
    manifest = write_manifest(out, written, {
        "created_at": when.isoformat(timespec="seconds"),
        "title": shown.title,
        "authority": shown.authority,
        "marking": shown.marking,
        "pseudonymised": shown.redaction is not None,
        "items": len(shown.items),
        "appendices": len(shown.appendices),
        "sources": sources,
        "redactions": [e.to_json() for e in rendered.redactions],
        **(info or {}),
    }, force=force)
    return BundleExport(written.path, written.sha256, written.size, manifest, sources,
                        rendered.redactions, rendered.notes, rendered.pdf_pages,
                        (clock.now() - start).total_seconds(), shown.redaction is not None,
                        len(shown.items))
