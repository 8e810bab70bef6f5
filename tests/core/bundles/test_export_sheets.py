"""Spreadsheet exports: header, filter, frozen panes, widths, dates, atomic write."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.export.model import Column, Sheet
from evidence_app.core.bundles.export.sheets import write_workbook


def _sheet() -> Sheet:
    return Sheet("Week-one requests: tracker/1", [Column("Id", 10), Column("Title", 40),
                                                  Column("Due", 12)],
                 [["AA-L01", "Contacts", dt.date(2025, 3, 11)], ["AA-L02", "=SUM(A1)", None]])


def test_workbook_is_formatted(tmp_path):
    out = tmp_path / "t.xlsx"
    w = write_workbook(out, [_sheet(), Sheet("Empty", [Column("A")])])
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.title == "Week-one requests  tracker 1"
    assert [c.value for c in ws[1]] == ["Id", "Title", "Due"]
    assert all(c.font.bold for c in ws[1])
    assert ws.auto_filter.ref == "A1:C3"
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["B"].width == 40
    assert ws["C2"].number_format == "dd/mm/yyyy" and ws["C2"].value.date() == dt.date(2025, 3, 11)
    assert ws["B3"].value == "'=SUM(A1)"              # text, never a formula
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text
    assert w.size == out.stat().st_size and len(w.sha256) == 64


def test_no_overwrite_without_force(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"x")
    with pytest.raises(InvalidInput):
        write_workbook(out, [_sheet()])
    assert out.read_bytes() == b"x"
    write_workbook(out, [_sheet()], force=True)
    assert openpyxl.load_workbook(out).worksheets[0]["A2"].value == "AA-L01"
