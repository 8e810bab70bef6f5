"""The index's records: source folders, documents (files and attachments), their text in
chunks, the Problems list's rows and the status bar's counts (core/store/sources.py,
core/store/document_reads.py).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen
from pathlib import Path

from evidence_app.core.base.fsnames import display, to_disk
from evidence_app.core.store.records.base import as_json


@frozen
class Source:
    """A source folder: where case files or policies live (read, never written)."""

    id: int
    uuid: str
    path: Path  # disk form
    kind: str  # case-files | policies | other
    include: tuple[str, ...]
    exclude: tuple[str, ...]


@as_json.register
def source_as_json(source: Source) -> dict:
    """The `source list --json` shape (field names are a contract)."""
    return {"id": source.id, "uuid": source.uuid, "path": display(str(source.path)),
            "kind": source.kind, "include": list(source.include),
            "exclude": list(source.exclude)}


class _StoredPath:
    """A record of a file kept by its stored path (core/base/fsnames.py): the two ways to show
    it, shared by documents and problems."""

    path: str

    @property
    def shown_path(self) -> str:
        """The path for a person (odd bytes in old names shown readably)."""
        return display(self.path)

    @property
    def disk_path(self) -> str:
        """The path that opens the file (what `os` and the desktop take)."""
        return to_disk(self.path)


@frozen
class Document(_StoredPath):
    """An indexed file, or an attachment inside one (`member` names it; '' for a file)."""

    id: int
    uuid: str
    source_id: int | None
    parent_id: int | None
    path: str  # stored form (core/base/fsnames.py): `display()` it for a person
    member: str
    rel_path: str
    name: str
    title: str | None
    format: str
    size: int | None
    mtime: float | None
    sha256: str | None
    status: str  # core/base/doc_status.py
    reason: str | None
    stale: int
    pages: int | None
    chars: int
    case_ref: str | None
    case_ref_manual: int
    text_version: int
    first_seen: str | None
    indexed_at: str | None
    missing_since: str | None

    @property
    def label(self) -> str:
        """What a person calls it: its title, else its file name."""
        return self.title or self.name

    @property
    def is_attachment(self) -> bool:
        return bool(self.member)

    @property
    def is_readable(self) -> bool:
        """Its text was read in full (anything else is listed under Problems)."""
        return self.status == "ok"


@as_json.register
def document_as_json(doc: Document) -> dict:
    """The `documents --json` shape (field names are a contract)."""
    return {"id": doc.id, "uuid": doc.uuid, "path": display(doc.path),
            "member": doc.member or None, "rel_path": doc.rel_path, "title": doc.title,
            "format": doc.format, "status": doc.status, "reason": doc.reason,
            "stale": bool(doc.stale), "pages": doc.pages, "chars": doc.chars, "size": doc.size,
            "sha256": doc.sha256, "case_ref": doc.case_ref, "indexed_at": doc.indexed_at}


@frozen
class Chunk:
    """A piece of a document's text as the index holds it, in reading order (`seq`); `start` is
    its offset in the document's full text (what evidence anchors to), `page` its page if known."""

    id: int
    seq: int
    page: int | None
    heading: str | None
    start: int
    text: str


@as_json.register
def chunk_as_json(chunk: Chunk) -> dict:
    return {"id": chunk.id, "seq": chunk.seq, "page": chunk.page, "heading": chunk.heading,
            "start": chunk.start, "text": chunk.text}


@frozen
class DocumentText:
    """What the preview shows of a document: its facts and its text in chunks (none when the
    document is not in the index any more)."""

    document: Document | None
    chunks: tuple[Chunk, ...] = ()


@frozen
class Problem(_StoredPath):
    """A file (or attachment) whose text could not be read fully, or a scan OCR could hardly
    read: the Problems list's row. `status` is a document status or 'scan_hard_to_read';
    `reason` says what went wrong and what to do, in plain words."""

    id: int  # the document's id
    path: str  # stored form, like Document.path
    member: str
    status: str
    reason: str | None
    stale: int

    @property
    def shown_folder(self) -> str:
        return str(Path(display(self.path)).parent)

    @property
    def shown_name(self) -> str:
        """'letter.eml › minutes.docx': the file's name, and the attachment's when it is one."""
        return Path(display(self.path)).name + (f" › {self.member}" if self.member else "")


@as_json.register
def problem_as_json(problem: Problem) -> dict:
    """The `problems --json` shape (field names are a contract)."""
    return {"id": problem.id, "path": display(problem.path), "member": problem.member or None,
            "status": problem.status, "reason": problem.reason, "stale": bool(problem.stale)}


@frozen
class IndexOverview:
    """What the status bar counts: files (not attachments) by status, attachments found inside
    files, and how many source folders there are."""

    files: tuple[tuple[str, int], ...]  # (status, count), by status
    attachments: int
    folders: int

    def count(self, status: str) -> int:
        return dict(self.files).get(status, 0)

    @property
    def present_files(self) -> int:
        """Files still in their folders (every status but missing)."""
        return sum(n for s, n in self.files if s != "missing")

    @property
    def searchable_documents(self) -> int:
        """Files still present plus the attachments inside them (each is searched on its own)."""
        return self.present_files + self.attachments
