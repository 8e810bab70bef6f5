"""`evidence-app --self-test`: prove an installed copy works end to end, without a window.

IT runs it after a silent install (and CI runs it on the frozen build). In a temporary folder it
writes one fictional sample of every readable format, opens a workspace, indexes the samples with
the real extraction workers, searches, registers a child's case, tags a passage in every sample,
builds a bundle and exports it twice (plain and pseudonymised), checks both exports and the
database, and confirms that nothing tried to reach the network. One line per step; the last line
is `OK` (exit 0) or names the failing step (exit 1). The temporary folder is removed afterwards
and the user's own settings and workspaces are never touched.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import socket
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from evidence_app import __version__
from evidence_app.selftest import files as S

Out = Callable[[str], None]


class StepFailed(Exception):
    """A step found something wrong; the message is the one line shown to IT."""


@dataclass
class Run:
    """What the steps share: the temporary folder, the open workspace and what was made."""
    root: Path
    jobs: int = 2
    ws: object = None
    samples: dict[str, Path] = field(default_factory=dict)
    docs: dict[str, int] = field(default_factory=dict)
    enquiry: str = ""
    bundle_id: int = 0
    network_attempts: list[str] = field(default_factory=list)


Step = tuple[str, Callable[[Run], str]]


# -- steps -------------------------------------------------------------------------------------
def step_workspace(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.workspace import Workspace

    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.settings import set_person

    run.ws = Workspace.create(run.root / "workspace", "Self-test (fictional)")
    set_person(run.ws, "Self-test", "IT check")  # exports are signed 'Prepared by' a person
    return f"created a temporary workspace in {run.root}"


def step_samples(run: Run) -> str:
    run.samples = S.write_samples(run.root / "files" / S.CASE_REF)
    return f"{len(run.samples)} formats: {', '.join(run.samples)}"


def step_index(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.store.documents import find_by_path

    add_source(run.ws, run.root / "files", "case-files")
    summary = index_workspace(run.ws, jobs=run.jobs)
    problems = []
    for fmt, path in run.samples.items():
        doc = find_by_path(run.ws.db, str(path.resolve()))
        if doc is None:
            problems.append(f"{fmt}: not indexed")
        elif doc.status != "ok":
            problems.append(f"{fmt}: {doc.status} ({doc.reason or 'no reason'})")
        else:
            run.docs[fmt] = doc.id
    if problems:
        raise StepFailed("not read: " + "; ".join(problems))
    return f"{summary.indexed} files read by {run.jobs} extraction workers in {summary.seconds:.1f} s"


def step_window_workers(run: Run) -> str:
    """The window starts its workers differently (forkserver on Linux, as Qt runs threads): a
    frozen build must support that start method too."""
    import threading  # each step loads its own parts: a broken one fails that step, with its name

    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.index.extract_pool import ExtractPool
    from evidence_app.core.index.extract_worker import Task

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, name="self-test: like the window's threads",
                             daemon=True)
    other.start()
    try:
        with ExtractPool(jobs=1) as pool:
            method = pool._ctx.get_start_method()
            outcomes = list(pool.run([Task(str(run.samples["docx"]))]))
    finally:
        stop.set()
        other.join()
    status = outcomes[0].result.status if outcomes and outcomes[0].result else "no result"
    if status != "ok":
        raise StepFailed(f"a worker started with {method!r} (as the window does) gave {status}")
    return f"a worker started with {method!r}, as the window does, read the docx sample"


def step_ocr(run: Run) -> str:
    """A scanned letter (an image-only PDF) is read by OCR in a worker: proves the engine and its
    English model are installed with the app (nothing is downloaded; the network step checks)."""
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.index.indexer import Indexer
    from evidence_app.core.index.ocr.engine import available
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.search.search import search
    from evidence_app.samples.writers.scan import write_scanned_pages

    missing = available()
    if missing:
        raise StepFailed(missing)
    folder = run.root / "scans"
    folder.mkdir(parents=True, exist_ok=True)
    word = "Quillfeather"
    (folder / "scanned letter.pdf").write_bytes(write_scanned_pages(
        [["FICTIONAL TEST DATA", f"Letter about the {word} family visit"]], "scan",
        seed="self-test"))
    add_source(run.ws, folder, "other")
    with Indexer(run.ws, jobs=1) as indexer:
        indexer.run()
        result = indexer.read_scans()
    hits = search(run.ws, word).hits
    if not hits or hits[0].page != 1:
        raise StepFailed(f"the scanned letter's text was not found by OCR ({result.line()})")
    return f"a scanned page read by OCR in {result.seconds:.1f} s; '{word}' found on page 1"


def step_search(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.search.search import search

    for fmt, doc_id in run.docs.items():
        hits = search(run.ws, S.marker(fmt)).hits
        if [h.document_id for h in hits] != [doc_id]:
            raise StepFailed(f"searching for {S.marker(fmt)!r} found {len(hits)} documents, "
                             f"not the {fmt} sample")
    phrase = search(run.ws, f'"seen alone" case:{S.CASE_REF}', limit=100)
    if phrase.total != len(run.docs):
        raise StepFailed(f"the phrase \"seen alone\" in case {S.CASE_REF} found {phrase.total} of "
                         f"{len(run.docs)} samples")
    return f"each format found by its own word; a phrase with a case filter found all {phrase.total}"


def step_case(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.evidence.cases import add_case

    case = add_case(run.ws, S.CASE_REF, name=S.CHILD_NAME, alias=S.CHILD_ALIAS,
                    redact=[S.REDACT_TERM], sampled=True).value
    return f"registered {case.ref} as {case.alias}"


def step_tag(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.evidence import framework
    from evidence_app.core.evidence.evidence import tag

    enquiries = framework.enquiries(run.ws)
    if not enquiries:
        raise StepFailed("the inspection framework has no lines of enquiry")
    run.enquiry = enquiries[0].id
    for fmt, doc_id in run.docs.items():
        item = tag(run.ws, doc_id, enquiries=[run.enquiry], quote=S.QUOTE, strength="strong",
                   kind="impact", case_ref=S.CASE_REF, note=f"Self-test ({fmt})").value
        if item.anchor != "anchored":
            raise StepFailed(f"the passage in the {fmt} sample is {item.anchor}, not anchored")
    return f"{len(run.docs)} passages tagged against {run.enquiry}, all anchored"


def step_bundle(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.bundles.bundles import create_bundle

    bundle = create_bundle(run.ws, "Self-test bundle", "enquiry", enquiries=[run.enquiry]).value
    if bundle.item_count != len(run.docs):
        raise StepFailed(f"the bundle holds {bundle.item_count} items, expected {len(run.docs)}")
    run.bundle_id = bundle.id
    return f"bundle {bundle.id}: {len(bundle.sections)} section(s), {bundle.item_count} items"


def _docx_text(path: Path) -> str:
    """Every part's text with the XML tags taken out (runs joined), so split words still match."""
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                xml = z.read(name).decode("utf-8", "replace")
                xml = re.sub(r"</w:p>|<w:br/>|<w:tab/>", "\n", xml)
                parts.append(re.sub(r"<[^>]+>", "", xml))
    return "\n".join(parts)


def _check_export(result, must: list[str], must_not: list[str]) -> None:
    path = Path(result.path)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != result.sha256 or len(data) != result.size:
        raise StepFailed(f"{path.name} does not match the hash recorded when it was written")
    manifest = json.loads(Path(result.manifest).read_text(encoding="utf-8"))
    if manifest.get("sha256") != result.sha256:
        raise StepFailed(f"the manifest of {path.name} records a different SHA-256")
    text = " ".join(_docx_text(path).split())
    for s in must_not:
        if s.lower() in text.lower():
            raise StepFailed(f"{path.name} still contains {s!r}")
    for s in must:
        if s not in text:
            raise StepFailed(f"{path.name} does not contain {s!r}")


def step_export(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.bundles.bundle_data import export_bundle

    out = run.root / "exports" / "Self-test bundle.docx"
    out.parent.mkdir(exist_ok=True)
    r = export_bundle(run.ws, run.bundle_id, out, pseudonymise=False, append_sources=False)
    if r.items != len(run.docs) or len(r.sources) != len(run.docs):
        raise StepFailed(f"the export lists {r.items} items from {len(r.sources)} sources, "
                         f"expected {len(run.docs)}")
    _check_export(r, [S.QUOTE, "Self-test bundle"], [])
    return f"{out.name}: {r.items} items, {r.size // 1024} KB, SHA-256 and manifest agree"


def step_export_pseudonymised(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.bundles.bundle_data import export_bundle

    out = run.root / "exports" / "Self-test bundle (pseudonymised).docx"
    r = export_bundle(run.ws, run.bundle_id, out, pseudonymise=True, append_sources=True,
                      accept_review=True)   # the pipeline is under test, not the review
    if not r.pseudonymised:
        raise StepFailed("the export was not pseudonymised")
    alias_quote = S.QUOTE.replace(S.CHILD_NAME, S.CHILD_ALIAS)
    surname = S.CHILD_NAME.split()[-1]
    _check_export(r, [alias_quote], [S.CHILD_NAME, surname, S.REDACT_TERM])
    count = sum(e.count for e in r.redactions)
    return (f"{out.name}: the child's name became {S.CHILD_ALIAS!r}, {count} redactions, "
            "no name left in any part")


def step_database(run: Run) -> str:
    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app.core.safety.integrity import check

    result = check(run.ws)
    if not result.ok:
        raise StepFailed("; ".join(result.problems))
    return "integrity, search index, audit chain and journal agree"


def step_network(run: Run) -> str:
    if run.network_attempts:
        raise StepFailed("tried to reach the network: " + "; ".join(run.network_attempts[:3]))
    return "no connection or name lookup was attempted"


ENGINE_STEPS: list[Step] = [
    ("workspace", step_workspace), ("sample files", step_samples), ("index", step_index),
    ("window's workers", step_window_workers), ("search", step_search),
    ("reading a scan (OCR)", step_ocr), ("case", step_case),
    ("tag", step_tag), ("bundle", step_bundle),
    ("export", step_export), ("export pseudonymised", step_export_pseudonymised),
    ("database check", step_database),
]


# -- the network guard ---------------------------------------------------------------------------
class _NoNetwork:
    """Records (and refuses) internet connections and name lookups while the self-test runs.

    Local sockets (AF_UNIX: the extraction workers' pipes) are allowed."""

    def __init__(self, attempts: list[str]) -> None:
        self.attempts = attempts
        self.saved = None

    def _refuse(self, what: str):
        self.attempts.append(what)
        raise OSError(f"the self-test refuses network access ({what})")

    def __enter__(self):
        self.saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection,
                      socket.getaddrinfo)
        connect, connect_ex = self.saved[:2]
        guard = self

        def _connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._refuse(f"connect {address!r}")
            return connect(sock, address)

        def _connect_ex(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                guard._refuse(f"connect {address!r}")
            return connect_ex(sock, address)

        socket.socket.connect, socket.socket.connect_ex = _connect, _connect_ex
        socket.create_connection = lambda address, *a, **k: self._refuse(f"connect {address!r}")
        socket.getaddrinfo = lambda host, *a, **k: self._refuse(f"look up {host!r}")
        return self

    def __exit__(self, *exc) -> None:
        (socket.socket.connect, socket.socket.connect_ex, socket.create_connection,
         socket.getaddrinfo) = self.saved


# -- running -------------------------------------------------------------------------------------
def describe_build() -> str:
    frozen = "installed build" if getattr(sys, "frozen", False) else "from source"
    return (f"Evidence Organiser {__version__} self-test ({frozen}; Python "
            f"{platform.python_version()}, {platform.system()} {platform.machine()})")


def run_steps(steps: list[Step], run: Run, out: Out) -> tuple[str, str] | None:
    """Run steps in order, one line each; stop at the first failure and return (step, reason)."""
    for name, fn in steps:
        t0 = time.perf_counter()
        try:
            detail = " ".join(str(fn(run)).split())
        except StepFailed as exc:
            failed = (name, " ".join(str(exc).split()) or "failed")
        except Exception as exc:  # noqa: BLE001 - one line for IT, never a traceback
            failed = (name, one_line(exc))
        else:
            out(f"{name:<22} ok      {detail} ({time.perf_counter() - t0:.1f} s)")
            continue
        out(f"{name:<22} FAILED  {failed[1]}")
        return failed
    return None


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_self_test(out: Out = print, extra_steps: list[Step] | None = None, jobs: int = 2) -> int:
    """Run every step, printing one line each; 0 when all pass, 1 at the first failure.

    `extra_steps` run after the engine's (the window's parts add their own check)."""
    started = time.perf_counter()
    out(describe_build())
    try:
        root = Path(tempfile.mkdtemp(prefix="evidence-self-test-"))
    except OSError as exc:
        out(f"FAILED at step 'workspace': no temporary folder could be made ({one_line(exc)})")
        return 1
    run = Run(root.resolve(), jobs)
    saved_env = {k: os.environ.get(k) for k in ("EVIDENCE_APP_HOME", "EVIDENCE_WORKSPACE")}
    os.environ["EVIDENCE_APP_HOME"] = str(run.root / "home")  # never the user's own settings
    os.environ.pop("EVIDENCE_WORKSPACE", None)
    steps = ENGINE_STEPS + list(extra_steps or []) + [("network", step_network)]
    try:
        with _NoNetwork(run.network_attempts):
            failed = run_steps(steps, run, out)
    except KeyboardInterrupt:
        failed = ("", "stopped (Ctrl+C)")
    finally:
        if run.ws is not None:
            try:
                run.ws.close()
            except Exception:  # noqa: BLE001 - closing must not hide the result
                pass
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(run.root, ignore_errors=True)
    if failed and not failed[0]:
        out(f"FAILED: {failed[1]}")
        return 1
    if failed:
        out(f"FAILED at step '{failed[0]}': {failed[1]}")
        return 1
    out(f"OK: {len(steps)} steps passed in {time.perf_counter() - started:.1f} s")
    return 0
