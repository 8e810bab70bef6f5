"""Hostile case lists and framework files, made on the fly for the hostile-input tests.

Each maker writes a real file the way a careless export or a malicious sender would produce it:
a sheet whose one cell sits at XFD1048576 under a declared dimension of A1:XFD1048576, CSVs with
CR-only line endings, Windows-1252 bytes Windows leaves undefined, UTF-16 with and without a
byte-order mark, a field longer than Python's csv default limit, and so on.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

HEADER = "Child ID,Child name,Allocated worker,Legal status"
ROWS = [("CH-100001", "Amy Example", "Sam Patel", "CIN"),
        ("CH-100002", "Ben Example", "Jo Kaur", "CP"),
        ("CH-100003", "Cat Example", "Sam Patel", "CIC")]
REFS = [r[0] for r in ROWS]

_SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>')


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def csv_text(line_end: str = "\r\n") -> str:
    return line_end.join([HEADER, *(",".join(r) for r in ROWS)]) + line_end


def write_csv(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def good_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(HEADER.split(","))
    for r in ROWS:
        sh.append(list(r))
    wb.save(path)
    return path


def _replace_sheet(template: Path, path: Path, sheet_xml: str) -> Path:
    with zipfile.ZipFile(template) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def lone_cell_xlsx(path: Path, with_table: bool = True) -> Path:
    """The issue's 4.8 KB sheet: declared A1:XFD1048576, one cell at XFD1048576 (plus, when
    `with_table`, a real three-case table at the top)."""
    template = good_xlsx(path.with_name(path.stem + "-template.xlsx"))
    rows = ""
    if with_table:
        heads = HEADER.split(",")
        rows += '<row r="1">' + "".join(_inline(f"{'ABCD'[i]}1", h)
                                        for i, h in enumerate(heads)) + "</row>"
        for n, r in enumerate(ROWS, start=2):
            rows += f'<row r="{n}">' + "".join(_inline(f"{'ABCD'[i]}{n}", v)
                                               for i, v in enumerate(r)) + "</row>"
    rows += '<row r="1048576">' + _inline("XFD1048576", "x") + "</row>"
    out = _replace_sheet(template, path, _SHEET.format(rows=rows))
    template.unlink()
    return out


def wide_header_xlsx(path: Path, columns: int = 250) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append([f"Column {i}" for i in range(columns)])
    sh.append([f"v{i}" for i in range(columns)])
    wb.save(path)
    return path


def hostile_csvs(folder: Path) -> dict[str, Path]:
    """name -> file; every one must import cleanly or be refused in one line."""
    folder.mkdir(parents=True, exist_ok=True)
    text = csv_text()
    made = {
        "cr-only": csv_text("\r").encode("utf-8"),
        "lf-only": csv_text("\n").encode("utf-8"),
        "mixed-endings": (HEADER + "\r" + ",".join(ROWS[0]) + "\n" + ",".join(ROWS[1]) + "\r\n"
                          + ",".join(ROWS[2])).encode("utf-8"),
        "utf8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf16-bom": text.encode("utf-16"),
        "utf16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf16-le-no-bom": text.encode("utf-16-le"),
        "utf32-bom": text.encode("utf-32"),
        "cp1252-undefined": text.replace("Amy", "Am\x81y").replace("Ben", "Be\x8dn")
        .encode("latin-1"),
        "cp1252-pound": text.replace("Amy", "Amy £").encode("cp1252"),
        "huge-field": (text + "CH-100009," + "z" * 200_000 + ",W,CIN\r\n").encode("utf-8"),
        "nul-bytes": text.replace("Amy", "A\x00my").encode("utf-8"),
        "control-chars": text.replace("Amy", "A\x1b[31my\x07").encode("utf-8"),
        "unterminated-quote": (text + '"CH-100010,never closed\r\n').encode("utf-8"),
        "semicolons": text.replace(",", ";").encode("utf-8"),
        "binary": bytes(range(256)) * 64,
        "empty": b"",
        "only-bom": b"\xef\xbb\xbf",
        "blank-lines": b"\r\n\r\n,,,\r\n",
        "lone-surrogate-escape": text.replace("Amy", "Amy \\ud800").encode("utf-8"),
    }
    return {name: write_csv(folder / f"{name}.csv", data) for name, data in made.items()}


FRAMEWORK_SHAPES = {
    # name: (document, words the one-line message must contain)
    "requests-number": ('{"areas": [], "requests": 5}', ["requests", "list"]),
    "enquiries-null": ('{"areas": [{"id": "X", "title": "T", "enquiries": null}]}',
                       ["areas[0].enquiries", "list"]),
    "judgements-ints": ('{"judgements": [1]}', ["judgements[0]", "object"]),
    "title-object": ('{"areas": [{"id": "X", "title": {"a": 1}}]}', ["areas[0].title", "text"]),
    "areas-string": ('{"areas": "LEAD"}', ["areas", "list"]),
    "top-list": ('[1, 2, 3]', ["object"]),
    "id-missing": ('{"areas": [{"title": "T"}]}', ["areas[0].id"]),
    "position-huge": ('{"areas": [{"id": "X", "title": "T", "enquiries": [{"id": "X-1", '
                      '"title": "t", "position": 100000000000000000000000}]}]}',
                      ["areas[0].enquiries[0].position"]),
    "position-text": ('{"areas": [{"id": "X", "title": "T", "position": "first"}]}',
                      ["areas[0].position", "number"]),
    "retired-list": ('{"areas": [], "requests": [{"id": "R", "title": "T", "retired": []}]}',
                     ["requests[0].retired"]),
    "kind-bad": ('{"areas": [], "requests": [{"id": "R", "title": "T", "kind": "letter"}]}',
                 ["requests[0].kind"]),
    "surrogate": ('{"areas": [{"id": "X", "title": "bad \\ud800 text"}]}', ["areas[0].title"]),
    "nul-in-id": ('{"areas": [{"id": "X\\u0000", "title": "T"}]}', ["areas[0].id"]),
    "deep": ("[" * 100_000 + "]" * 100_000, ["deep"]),
    "deep-object": ('{"areas": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}", ["deep"]),
    "not-json": ("{'areas': []}", ["JSON"]),
    "in-versions-object": ('{"judgements": [{"id": "J", "title": "T", "in_versions": {}}]}',
                           ["judgements[0].in_versions", "list"]),
    "lines-of-enquiry-string": ('{"judgements": [{"id": "J", "title": "T", '
                                '"lines_of_enquiry": "x"}]}',
                                ["judgements[0].lines_of_enquiry", "list"]),
}
