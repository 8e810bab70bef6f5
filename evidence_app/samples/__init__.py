"""Deterministic generator of realistic but clearly FICTIONAL case files and policies.

Used by benchmarks, by tests and (later) to build a demo workspace::

    info = generate_corpus(tmp / "corpus", 500, seed=1)
    info.documents[0]   # SampleDoc(path='case-files/CH-004512/Visits/Home visit 04-02-2026.pdf', ...)
    modify_some(info.root, 0.05, seed=1)   # rescan benchmark: change 5% of files

Output is a pure function of the arguments: the same seed gives byte-identical files with the same
mtimes. Every document carries the line ``FICTIONAL TEST DATA – not a real child or family.``; all
names are invented, NHS numbers use the 999 test range, phone numbers the Ofcom drama ranges,
postcodes ZZ99 and e-mail addresses example.org / example.gov.uk.

Layout::

    case-files/CH-004512/{Assessments,Visits,Plans,Meetings,Correspondence}/...
    case-files/CH-004512/Chronology.xlsx, Case summary.md, Referral.txt, ...
    policies/Threshold document 2025.pdf, Supervision policy.docx, ...
    performance/Caseload extract 2026-03-01.csv, Annex A list 6 ....xlsx, Audits/...

A small manifest (``.samples-manifest.json``, see `MANIFEST_NAME`) records the arguments so that
`modify_some` can regenerate files; pass ``manifest=False`` to leave it out.

This package must not import Qt.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import random
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from evidence_app.samples import text as T
from evidence_app.samples.writers import WRITERS, write_pdf, write_txt

__all__ = ["generate_corpus", "modify_some", "CorpusInfo", "SampleDoc", "FORMATS", "DEFAULT_MIX",
           "FICTIONAL_LINE", "MANIFEST_NAME"]

FICTIONAL_LINE = T.FICTIONAL_LINE
MANIFEST_NAME = ".samples-manifest.json"
FORMATS = ("docx", "pdf", "eml", "txt", "md", "xlsx", "odt", "rtf", "html", "csv", "doc", "xls",
           "pptx", "scan", "jpg", "tif")
# Councils' shares hold plenty of Word/Excel 97-2003 files and some slide decks: the mix has them.
DEFAULT_MIX = {"docx": 30, "pdf": 25, "eml": 10, "txt": 5, "md": 3, "xlsx": 6, "odt": 4, "rtf": 4,
               "html": 3, "csv": 2, "doc": 4, "xls": 2, "pptx": 2}
# Formats that borrow another's kinds of document (a .doc holds what a .docx would).
_KIND_FORMAT = {"doc": "docx", "xls": "xlsx", "pptx": "pdf", "scan": "pdf", "jpg": "pdf",
                "tif": "pdf"}
# Scanned-looking documents (issue 16), not in the default mix (ask for them with --formats):
# "scan" is an image-only PDF, "jpg" a photographed letter, "tif" a multi-page fax.
_EXTENSION = {"scan": "pdf"}
_SCAN_WEIGHT = {"scan": 10, "jpg": 6, "tif": 4}  # as a share of a council's scans
# Share of each format's documents that sit in case-files / policies / performance.
_SCOPE_SHARE = {
    "docx": (0.86, 0.10, 0.04), "pdf": (0.80, 0.16, 0.04), "eml": (0.95, 0.01, 0.04),
    "txt": (0.93, 0.07, 0.0), "md": (0.75, 0.25, 0.0), "xlsx": (0.62, 0.04, 0.34),
    "odt": (0.90, 0.07, 0.03), "rtf": (0.93, 0.07, 0.0), "html": (0.60, 0.30, 0.10),
    "csv": (0.45, 0.05, 0.50), "doc": (0.86, 0.10, 0.04), "xls": (0.62, 0.04, 0.34),
    "pptx": (0.30, 0.55, 0.15),
    "scan": (0.92, 0.08, 0.0), "jpg": (1.0, 0.0, 0.0), "tif": (1.0, 0.0, 0.0),
}
_POLICY_VARIANTS = (" v2", " (draft)", " {year}", " - final", " v3", " {prev} (archived)",
                    " - consultation draft", " v4")
_TABULAR = {"chronology", "caseload", "annex_a", "scorecard", "visits_tracker"}
_KINDS = {k.key: k for k in T.ALL_KINDS}


class SampleDoc(NamedTuple):
    path: str  # relative to the corpus root, with forward slashes
    format: str
    case_ref: str | None  # the case folder the document sits in, else None
    pages: int  # pages as generated (PDF/DOCX page breaks; a size-equivalent for other formats)


@dataclass
class CorpusInfo:
    root: Path
    documents: list[SampleDoc]
    counts: dict[str, int]
    seed: int = 0
    cases: list[str] = field(default_factory=list)
    seconds: float = 0.0
    total_bytes: int = 0

    def paths(self) -> list[Path]:
        return [self.root / d.path for d in self.documents]


@dataclass
class _Spec:
    index: int
    rel: str
    fmt: str
    kind: str
    case: int | None  # index into the case list (also for audits that refer to a case)
    in_case_folder: bool
    date: _dt.date
    pages: int
    title: str
    encoding: str = "utf-8"
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Planning: cheap, deterministic, no I/O


def _mix(formats) -> dict:
    if formats is None:
        return dict(DEFAULT_MIX)
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if isinstance(formats, dict):
        mix = {f.lower().lstrip("."): float(w) for f, w in formats.items() if w}
    else:
        fl = [f.lower().lstrip(".") for f in formats]
        mix = {f: DEFAULT_MIX.get(f, _SCAN_WEIGHT.get(f, 1)) for f in fl}
    bad = sorted(set(mix) - set(FORMATS))
    if bad or not mix:
        raise ValueError(f"unknown formats {bad}; choose from {', '.join(FORMATS)}")
    return mix


def _quotas(mix: dict, n: int) -> list:
    """Exact counts per format (largest remainder), in FORMATS order."""
    total = sum(mix.values())
    raw = {f: mix[f] * n / total for f in FORMATS if f in mix}
    counts = {f: int(v) for f, v in raw.items()}
    left = n - sum(counts.values())
    for f in sorted(raw, key=lambda f: (-(raw[f] - counts[f]), FORMATS.index(f)))[:left]:
        counts[f] += 1
    out = []
    for f in FORMATS:
        out += [f] * counts.get(f, 0)
    return out


def _case_refs(cases, n_documents: int, rng: random.Random) -> list:
    if cases is None:
        cases = max(1, round(n_documents / 12))
    if isinstance(cases, int):
        refs, seen = [], set()
        numeric_left = cases // 10  # at most 10% LCS/Mosaic-style numeric ids
        while len(refs) < cases:
            if numeric_left and rng.random() < 0.07:
                ref = str(rng.randrange(1_000_000, 9_999_999))
            else:
                ref = f"CH-{rng.randrange(1, 1_000_000):06d}"
            if ref in seen:
                continue
            if ref.isdigit():
                numeric_left -= 1
            seen.add(ref)
            refs.append(ref)
        return refs
    return [str(c) for c in cases]


def _make_cases(refs: list, seed: int) -> list:
    return [T.make_case(ref, random.Random(f"case:{seed}:{ref}")) for ref in refs]


def _pick_kind(kinds: list, fmt: str, rng: random.Random):
    fmt = _KIND_FORMAT.get(fmt, fmt)
    ks = [k for k in kinds if fmt in k.formats]
    if not ks:
        return None
    return rng.choices(ks, [k.formats[fmt] for k in ks])[0]


def _plan(n_documents: int, seed: int, formats, cases) -> tuple[list, list]:
    rng = random.Random(f"samples:{seed}")
    mix = _mix(formats)
    fmts = _quotas(mix, n_documents)
    rng.shuffle(fmts)
    refs = _case_refs(cases, n_documents, rng)
    profiles = _make_cases(refs, seed)
    weights = [min(rng.paretovariate(1.3), 25.0) for _ in refs]
    unused = list(range(len(refs)))  # every case folder gets at least one document first
    rng.shuffle(unused)
    taken: set = set()
    specs = []
    for i, fmt in enumerate(fmts):
        shares = _SCOPE_SHARE[fmt] if refs else (0.0,) + _SCOPE_SHARE[fmt][1:]
        scope = rng.choices(("case", "policy", "performance"), shares)[0]
        kind = None
        case_i = None
        if scope == "policy":
            kind = _pick_kind(T.POLICY_KINDS, fmt, rng)
        elif scope == "performance":
            kind = _pick_kind(T.PERF_KINDS, fmt, rng)
        if kind is None and refs:
            scope = "case"
        if scope == "case":
            case_i = unused.pop() if unused else rng.choices(range(len(refs)), weights)[0]
            ctype = profiles[case_i].case_type
            kind = _pick_kind([k for k in T.CASE_KINDS if ctype in k.types], fmt, rng) \
                or _pick_kind(T.CASE_KINDS, fmt, rng)
        elif kind is None:  # no cases and no non-case kind for this format
            kind = _pick_kind(T.POLICY_KINDS + T.PERF_KINDS, fmt, rng) or T.POLICY_KINDS[0]
        if kind.key == "case_audit" and refs:
            case_i = rng.randrange(len(refs))
        case = profiles[case_i] if case_i is not None else None
        if case is not None:
            span = (T.AS_AT - case.opened).days
            date = case.opened + _dt.timedelta(days=rng.randint(0, span))
        elif scope == "policy":
            date = T.AS_AT - _dt.timedelta(days=rng.randint(0, 3 * 365))
        else:
            date = T.AS_AT - _dt.timedelta(days=rng.randint(0, 365))
        extra: dict = {}
        fields = {"iso": date.isoformat(), "dmy": T.dmy_dash(date), "v": rng.randint(1, 6),
                  "year": date.year + (1 if scope == "policy" and date.month > 9 else 0),
                  "n": rng.randint(1, 10), "ref": case.ref if case else "", "agency": ""}
        if fmt == "eml" and kind.key == "email":
            agency = rng.choice(T.EMAIL_AGENCIES)
            fields["agency"] = agency[0]
            extra["agency"] = list(agency)
        stem = kind.name.format(**fields)
        title = stem
        if case is not None and scope == "case":
            sub = f"case-files/{case.ref}" + (f"/{kind.folder}" if kind.folder else "")
            title = f"{stem} – {case.ref}"
        elif scope == "policy":
            sub = "policies"
        else:
            sub = "performance" + (f"/{kind.folder}" if kind.folder else "")
        ext = _EXTENSION.get(fmt, fmt)
        rel = f"{sub}/{stem}.{ext}"
        k = 2
        variants = list(_POLICY_VARIANTS) if scope == "policy" else []
        while rel.casefold() in taken:
            if variants:
                v = variants.pop(0).format(year=date.year, prev=date.year - 1)
                rel = f"{sub}/{stem}{v}.{ext}"
            else:
                rel = f"{sub}/{stem} ({k}).{ext}"
                k += 1
        taken.add(rel.casefold())
        pages = min(T.pick_pages(rng), kind.max_pages)
        enc = "utf-8"
        if fmt == "txt":
            r = rng.random()
            enc = "utf-8" if r < 0.68 else "cp1252" if r < 0.92 else "utf-16"
        elif fmt == "csv":
            enc = "utf-8-sig" if rng.random() < 0.4 else "utf-8"
        specs.append(_Spec(i, rel, fmt, kind.key, case_i, scope == "case", date, pages, title, enc, extra))
    return specs, profiles


# ---------------------------------------------------------------------------------------------
# Rendering one document


def _render(spec: _Spec, profiles: list, seed: int, revision: int = 0) -> bytes:
    rng = random.Random(f"doc:{seed}:{spec.index}")
    kind = _KINDS[spec.kind]
    case = profiles[spec.case] if spec.case is not None else None
    if spec.kind in _TABULAR:
        doc = T.build_table(kind, spec.fmt, spec.title, case if spec.in_case_folder else None,
                            spec.date, spec.pages, rng, profiles, revision)
    else:
        if spec.extra.get("agency"):
            kind = replace(kind, topics=(spec.extra["agency"][3], "correspondence_general"))
        doc = T.build_doc(kind, spec.fmt, spec.title, case, spec.date, spec.pages, rng,
                          revision=revision)
    doc.encoding = spec.encoding
    if spec.fmt == "txt":
        # Every plain-text file carries a pound sign and curly quotes, so cp1252 files really
        # contain cp1252-only bytes.
        doc.pages[-1].append(("p", f"Note: section 17 expenditure to date £{rng.randint(20, 400)}.00 "
                                   "– see “Finance” tab."))
    if spec.fmt == "eml":
        _emailify(doc, spec, case, rng, seed)
    return WRITERS[spec.fmt](doc)


def _emailify(doc: T.Doc, spec: _Spec, case, rng: random.Random, seed: int) -> None:
    f = case.fields if case else T._org_fields_cached()
    agency = spec.extra.get("agency")
    if agency:
        who, role = agency[1], agency[2]
        if "{" in who:
            who = who.format_map(f) if who[1:-1] in f else T.person(rng)
        if who.startswith("Dr "):
            who = who.split(",")[0]
        sender = f"{who} <{T.email_for(who.replace('Dr ', '').replace('DC ', ''), 'example.org')}>"
        to = f"{f['worker']} <{f['worker_email']}>"
        cc = f"{f['manager']} <{f['manager_email']}>" if rng.random() < 0.5 else ""
        subj = f"{f['child']} ({f['ref']}) – {rng.choice(['update', 'concerns', 'attendance', 'next steps', 'information request'])}"
        signature = f"{sender}\n{role.format_map(f)}\nTel: {T.landline(rng)}"
        greeting = f"Dear {f['worker_first']},"
        if rng.random() < 0.5:
            subj = "RE: " + subj
    else:
        who = T.person(rng)
        sender = f"{who} <{T.email_for(who, 'example.gov.uk')}>"
        to = "Children's Services Leadership Team <cs.leadership@example.gov.uk>"
        cc = ""
        subj = doc.title
        signature = f"{sender}\nQuality Assurance Team, {T.COUNCIL}\nTel: {T.landline(rng)}"
        greeting = "Dear colleagues,"
    attachments = []
    if rng.random() < 0.3:
        arng = random.Random(f"att:{seed}:{spec.index}")
        if arng.random() < 0.5:
            akind = _KINDS["home_visit"] if case else _KINDS["audit_summary"]
            adoc = T.build_doc(akind, "pdf", "Report" + (f" – {case.ref}" if case else ""), case,
                               spec.date, 1, arng)
            attachments.append(("Report.pdf", write_pdf(adoc), "application", "pdf"))
        else:
            akind = _KINDS["case_note"]
            adoc = T.build_doc(akind, "txt", "Attendance summary", case, spec.date, 1, arng)
            attachments.append(("Attendance summary.txt", write_txt(adoc), "text", "plain"))
    intro = (f"Re: {f['child']} (fictional), case reference {f['ref']}, DOB {f['dob']}"
             if case else "")
    doc.email = {"intro": intro, "from": sender, "to": to, "cc": cc, "subject": subj, "greeting": greeting,
                 "signature": signature, "attachments": attachments}


def _mtime(spec: _Spec) -> float:
    t = _dt.datetime(spec.date.year, spec.date.month, spec.date.day, 9, 0, tzinfo=_dt.timezone.utc)
    return t.timestamp() + (spec.index * 137) % 28800  # spread over the working day


def _write(root: Path, spec: _Spec, data: bytes, mtime: float) -> int:
    path = root / spec.rel
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, (mtime, mtime))
    return len(data)


def _write_chunk(args) -> int:
    root, specs, profiles, seed = args
    total = 0
    for s in specs:
        total += _write(root, s, _render(s, profiles, seed), _mtime(s))
    return total


# ---------------------------------------------------------------------------------------------
# Public API


def generate_corpus(out_dir, n_documents: int, seed: int = 0, formats=None, cases=None,
                    *, workers: int = 1, manifest: bool = True) -> CorpusInfo:
    """Write `n_documents` fictional documents under `out_dir` and describe them.

    formats: None for the default mix (`DEFAULT_MIX`), a list/comma string of formats (weighted
    as in the default mix), or a dict format -> weight.
    cases: None (about one case folder per 12 documents), a number of case folders, or a list
    of case references to use.
    workers: processes to use (output is identical whatever the number).
    """
    t0 = time.perf_counter()
    root = Path(out_dir)
    specs, profiles = _plan(n_documents, seed, formats, cases)
    dirs = sorted({str(Path(s.rel).parent) for s in specs})
    root.mkdir(parents=True, exist_ok=True)
    for d in dirs:
        (root / d).mkdir(parents=True, exist_ok=True)
    total = 0
    if workers > 1 and len(specs) >= 200:
        # start-up: concurrent is loaded only when this runs
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing as mp

        chunks = [specs[i::workers * 4] for i in range(workers * 4)]
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as ex:
            total = sum(ex.map(_write_chunk, [(root, c, profiles, seed) for c in chunks]))
    else:
        total = _write_chunk((root, specs, profiles, seed))
    if manifest:
        _save_manifest(root, {"version": 1, "seed": seed, "n_documents": n_documents,
                              "formats": formats if formats is None or isinstance(formats, (dict, str)) else list(formats),
                              "cases": cases if cases is None or isinstance(cases, int) else list(cases),
                              "revision": 0})
    as_at = _dt.datetime(T.AS_AT.year, T.AS_AT.month, T.AS_AT.day, 18, tzinfo=_dt.timezone.utc).timestamp()
    for d in sorted(dirs, key=lambda p: -p.count("/")):
        p = root / d
        while p != root and p.is_relative_to(root):
            os.utime(p, (as_at, as_at))
            p = p.parent
    docs = [SampleDoc(s.rel, s.fmt, profiles[s.case].ref if s.in_case_folder else None, s.pages)
            for s in specs]
    counts = {f: 0 for f in FORMATS}
    for s in specs:
        counts[s.fmt] += 1
    return CorpusInfo(root=root, documents=docs, counts={f: c for f, c in counts.items() if c},
                      seed=seed, cases=[p.ref for p in profiles],
                      seconds=time.perf_counter() - t0, total_bytes=total)


def _save_manifest(root: Path, data: dict) -> None:
    path = root / MANIFEST_NAME
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    t = _dt.datetime(T.AS_AT.year, T.AS_AT.month, T.AS_AT.day, 18, tzinfo=_dt.timezone.utc).timestamp()
    t += data.get("revision", 0) * 86400
    os.utime(path, (t, t))


def _load_manifest(root: Path) -> dict:
    try:
        return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{root} has no {MANIFEST_NAME}: it was not made by generate_corpus(manifest=True)") from None


def modify_some(root, fraction: float, seed: int = 0) -> list[Path]:
    """Rewrite `fraction` of the corpus's files with one paragraph changed, and bump their mtime.

    Deterministic for a given corpus, `seed` and call count: each call is a new "revision"
    (recorded in the manifest), so repeated calls keep producing fresh changes. Returns the
    absolute paths changed, in corpus order.
    """
    root = Path(root.root if isinstance(root, CorpusInfo) else root)
    m = _load_manifest(root)
    specs, profiles = _plan(m["n_documents"], m["seed"], m["formats"], m["cases"])
    revision = m.get("revision", 0) + 1
    k = max(0, min(len(specs), round(len(specs) * fraction)))
    pick = sorted(random.Random(f"modify:{seed}:{revision}").sample(range(len(specs)), k))
    base = _dt.datetime(T.AS_AT.year, T.AS_AT.month, T.AS_AT.day, 18, tzinfo=_dt.timezone.utc).timestamp()
    changed = []
    for i in pick:
        s = specs[i]
        data = _render(s, profiles, m["seed"], revision)
        path = root / s.rel
        try:
            old = path.stat().st_mtime
        except FileNotFoundError:
            old = 0.0
        mtime = max(base + revision * 86400 + (i % 3600), old + 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(root, s, data, mtime)
        changed.append(path)
    m["revision"] = revision
    _save_manifest(root, m)
    return changed
