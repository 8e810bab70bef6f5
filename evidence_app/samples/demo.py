"""The demo workspace: fictional case files and policies, indexed, ready to explore.

`build_demo` writes a generated corpus (every document says it is fictional) into `root/files`,
creates the workspace in `root/workspace`, registers the (fictional) children's cases the files
belong to — about half of them sampled, with their readiness checklists under way — adds the case
files and policies as sources and indexes them. The window runs it in the background; the CLI and
tests call it directly. No Qt here.
"""
from __future__ import annotations

import random
from pathlib import Path

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback, no_progress
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from evidence_app.core.settings import AUTHOR_KEY

DEMO_NAME = "Demo: Wyvernshire Children's Services (fictional)"
SEED = 20260331

# Folder names the corpus generator may use for each kind of source.
_KIND_FOLDERS = {"case-files": ("case-files", "cases", "case_files", "Case files"),
                 "policies": ("policies", "policy", "Policies"),
                 "other": ("performance", "other", "data")}


def prepare_demo(root: Path, n_documents: int = 150,
                 on_progress: ProgressCallback = no_progress, seed: int = SEED) -> Workspace:
    """Write the demo files (once) and create the workspace with its sources, not yet indexed."""
    root = Path(root)
    files = root / "files"
    if not (files / ".complete").exists():
        on_progress(Progress(0, n_documents, "Writing demo files"))
        _generate(files, n_documents, seed)
        (files / ".complete").write_text(str(n_documents), encoding="utf-8")
        on_progress(Progress(n_documents, n_documents, "Writing demo files"))
    ws = Workspace.create(root / "workspace", DEMO_NAME)
    ws.set_meta("demo", "1")
    for kind, folder in _source_folders(files):
        add_source(ws, folder, kind)
    register_demo_cases(ws, files, seed)
    return ws


# The generator's case types -> the app's legal statuses.
_STATUS = {"CIN": "CIN", "CP": "CP", "CLA": "CIC", "CL": "CL"}
_READINESS_STEPS = (("chronology", "visits", "voice", "plan"), ("chronology", "visits"),
                    ("chronology",), ("chronology", "visits", "voice"), ())


def register_demo_cases(ws: Workspace, files: Path, seed: int = SEED) -> int:
    """Register every case folder's child (names, worker, team, legal status and the family's
    names to redact, as the generator wrote them); sample every other case and tick some of
    each sampled case's readiness checklist, so the Cases place starts as it would mid-way
    through preparing. Returns how many cases were registered."""
    from evidence_app.core.evidence import cases  # start-up: loaded only when this runs

    folders = [d for d in sorted((Path(files) / "case-files").glob("*")) if d.is_dir()]
    try:
        from evidence_app.samples.text import make_case  # start-up: loaded only when this runs
    except ImportError:
        make_case = None

    # readiness is recorded with who ticked it: the demo's own name, never the login name, and
    # only for these ticks (the person is still asked who they are when the window opens)
    previous = ws.get_meta(AUTHOR_KEY)
    ws.set_meta(AUTHOR_KEY, "Demo (fictional)")
    try:
        return _register(ws, folders, seed, make_case)
    finally:
        ws.set_meta(AUTHOR_KEY, previous or "")


def _register(ws: Workspace, folders: list, seed: int, make_case) -> int:  # noqa: ANN001
    from evidence_app.core.evidence import cases  # start-up: loaded only when this runs

    n = 0
    for i, folder in enumerate(folders):
        ref = folder.name
        fields: dict = {"sampled": i % 2 == 0}
        if make_case is not None:
            profile = make_case(ref, random.Random(f"case:{seed}:{ref}"))
            f = profile.fields
            fields.update(name=f["child"], worker=f["worker"], team=f["team"],
                          status=_STATUS.get(profile.case_type),
                          redact=[f["mother"], f["father"], f["sibling"]])
        try:
            cases.add_case(ws, ref, **fields)
        except EvidenceError:
            continue  # already registered (or a folder name that is not a case reference)
        n += 1
        if fields["sampled"]:
            for item in _READINESS_STEPS[(i // 2) % len(_READINESS_STEPS)]:
                try:
                    cases.check(ws, ref, item)
                except EvidenceError:
                    break
    return n


def demo_workspace_path(root: Path) -> Path:
    return Path(root) / "workspace"


def build_demo(root: Path, n_documents: int = 150,
               on_progress: ProgressCallback = no_progress,
               cancel: CancelToken | None = None, seed: int = SEED) -> Workspace:
    """Create (or bring up to date) the demo workspace under `root`; returns it open.

    Progress is reported in two phases: writing the files ("Writing demo files") and then the
    indexer's own progress. Calling it again reuses the files already written.
    """
    ws = prepare_demo(root, n_documents, on_progress, seed)
    if cancel is not None and cancel.cancelled:
        return ws
    index_workspace(ws, on_progress=on_progress, cancel=cancel)
    if not (cancel is not None and cancel.cancelled):
        tag_demo_passages(ws)
    return ws


def _generate(out_dir: Path, n_documents: int, seed: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        # start-up: loaded only when this runs
        from evidence_app.samples import generate_corpus  # type: ignore[attr-defined]
    except ImportError:
        generate_corpus = None
    if generate_corpus is not None:
        generate_corpus(out_dir, n_documents, seed)
    else:  # the generator is not installed in this build: a small plain-text stand-in
        _fallback_corpus(out_dir, n_documents, seed)


def _source_folders(files: Path) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    used: set[Path] = set()
    for kind, names in _KIND_FOLDERS.items():
        for name in names:
            folder = files / name
            if folder.is_dir() and folder not in used:
                found.append((kind, folder))
                used.add(folder)
                break
    if not found:
        found.append(("case-files", files))
    return found


# (search, words to find the line of enquiry by, strength, note): what the demo pre-tags.
_DEMO_TAGS = [
    ('"strategy discussion"', ("strategy", "section 47", "protect"), "strong",
     "Multi-agency strategy discussion held promptly."),
    ('"seen alone"', ("voice", "seen", "experience"), "strong", "Child seen alone."),
    ("supervision", ("supervision", "oversight", "management"), "moderate",
     "Management oversight recorded."),
    ('"core group"', ("plan", "protect"), "moderate", "Core group activity."),
    ('"return home interview"', ("missing", "exploit"), "moderate", "Return home interview."),
    ("permanence", ("permanence", "care", "stability"), "strong", "Permanence planning."),
    ('"wishes and feelings"', ("voice", "wishes", "experience"), "strong",
     "Child's wishes and feelings recorded."),
    ("chronology", ("chronolog", "record"), "weak", "Chronology kept up to date."),
    ("threshold", ("front door", "threshold", "referral", "contact"), "moderate",
     "Threshold applied at the front door."),
    ('"pathway plan"', ("leav", "pathway", "care leaver"), "moderate", "Pathway planning."),
]


def _sentence_around(text: str, start: int, end: int, limit: int = 320) -> str:
    """The sentence holding text[start:end], kept short enough to quote."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    quote = text[left + 1:right].strip()
    if len(quote) > limit:
        quote = text[max(0, start - limit // 3):min(len(text), end + limit // 2)].strip()
    return quote


def _enquiry_for(enquiries: list, words: tuple[str, ...]) -> str | None:
    for word in words:
        for e in enquiries:
            if word in f"{e.title} {e.prompt}".lower():
                return e.id
    return enquiries[0].id if enquiries else None


def tag_demo_passages(ws: Workspace, how_many: int = 10) -> int:
    """Pre-tag a few passages as evidence, so the evidence places have something to show.

    Returns how many were tagged (0 where this build has no evidence engine).
    """
    try:
        # start-up: loaded only when this runs
        from evidence_app.core.evidence import evidence, framework
        from evidence_app.core.search.search import MARK_END, MARK_START, search
    except ImportError:
        return 0
    try:
        enquiries = framework.enquiries(ws)
    except EvidenceError:
        return 0
    tagged = 0
    used: set[int] = set()
    for query, words, strength, note in _DEMO_TAGS:
        if tagged >= how_many:
            break
        enquiry = _enquiry_for(enquiries, words)
        if enquiry is None:
            break
        try:
            hits = search(ws, query, limit=5).hits
        except EvidenceError:
            continue
        for hit in hits:
            if hit.document_id in used or hit.status != "ok" or MARK_START not in hit.snippet:
                continue
            marked = hit.snippet.split(MARK_START, 1)[1].split(MARK_END, 1)[0]
            text = evidence.document_text(ws, hit.document_id).text
            low, needle = text.lower(), marked.lower()
            quote, at = "", low.find(needle)
            while at >= 0 and len(quote) < 60:  # a sentence, not a heading or a title
                quote = _sentence_around(text, at, at + len(marked))
                at = low.find(needle, at + len(needle))
            if len(quote) < 60:
                continue
            try:
                evidence.tag(ws, hit.document_id, enquiries=[enquiry], quote=quote,
                             strength=strength, note=f"{note} (demo)", case_ref=hit.case_ref,
                             author="Demo").value
            except EvidenceError:
                continue
            used.add(hit.document_id)
            tagged += 1
            break
    return tagged


_TOPICS = [
    ("Strategy meeting record", "A strategy meeting was held with police and health; all agreed "
     "that a section 47 enquiry was needed and the child was seen alone the same day."),
    ("Home visit", "The social worker visited the home and saw the child alone in their bedroom. "
     "The child said they felt safe and talked about school and friends."),
    ("Child protection conference minutes", "The conference agreed a child protection plan under "
     "the category of neglect. The core group will meet within ten working days."),
    ("Supervision record", "Case supervision reviewed the plan, the child's voice and drift; the "
     "manager set actions with timescales and recorded the rationale."),
    ("Assessment", "The single assessment considered the child's needs, parenting capacity and "
     "family and environmental factors, and the child's wishes and feelings."),
    ("Care plan review", "The independent reviewing officer chaired the review; the child in care "
     "contributed their views and the permanence plan was confirmed."),
]
_POLICIES = [
    ("Threshold document", "This document sets out the levels of need and how the front door "
     "responds to contacts and referrals within one working day."),
    ("Supervision policy", "Practitioners receive formal case supervision at least monthly; "
     "records are kept on the child's file."),
    ("Missing children protocol", "When a child goes missing from home or care a return home "
     "interview is offered within 72 hours."),
]


def _fallback_corpus(out_dir: Path, n_documents: int, seed: int) -> None:
    rng = random.Random(seed)
    fictional = "FICTIONAL TEST DATA - not a real child or family."
    cases = out_dir / "case-files"
    policies = out_dir / "policies"
    cases.mkdir(parents=True, exist_ok=True)
    policies.mkdir(parents=True, exist_ok=True)
    n_policies = max(1, n_documents // 10)
    for i in range(n_policies):
        title, body = _POLICIES[i % len(_POLICIES)]
        (policies / f"{title} v{i + 1}.txt").write_text(
            f"{title}\n{fictional}\n\n{body}\n", encoding="utf-8")
    for i in range(n_documents - n_policies):
        ref = f"CH-{100000 + i // 5:06d}"
        title, body = _TOPICS[rng.randrange(len(_TOPICS))]
        day = rng.randrange(1, 28)
        month = rng.randrange(1, 13)
        folder = cases / ref
        folder.mkdir(exist_ok=True)
        (folder / f"{title} {day:02d}-{month:02d}-2025 ({i}).txt").write_text(
            f"{title} - {ref}\n{fictional}\nDate: {day:02d}/{month:02d}/2025\n\n{body}\n",
            encoding="utf-8")
