"""Building Excel workbooks as the office keeps them, with openpyxl in write mode."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook

TITLE = "DAFTAR TENAGA KERJA ASING - KANTOR IMIGRASI KELAS I TPI PALEMBANG"
HEADER = ["No", "Nama", "JK", "Tgl. Lahir", "Kewarganegaraan", "No. Paspor",
          "Tgl. Terbit Paspor", "Perusahaan", "Jabatan", "Keterangan", "Paspor Berlaku s.d."]  # fmt: skip
ROWS: list[list[object]] = [
    [1, "ZHANG WEI", "L", date(1985, 3, 12), "Tiongkok", "E12345678", date(2023, 2, 1),
     "PT. PUPUK SRIWIDJAJA", "Process Engineer", None, date(2033, 1, 31)],
    [2, "LI NA", "P", "3 Agt 1990", "RRT", 987654321, date(2024, 8, 2), None, "Chemist", "baru",
     "01/08/2034"],
]  # fmt: skip


def office_workbook(
    rows: Sequence[Sequence[object]] = ROWS,
    header: Sequence[str] = HEADER,
    *,
    sheet: str = "TKA 2026",
    notes_sheet_first: bool = False,
) -> Workbook:
    """A title row merged over the columns, a date line, a blank row, then the header and rows."""
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    if notes_sheet_first:
        notes.title = "Catatan"
        notes["A1"] = "Lembar ini hanya catatan"
        data = workbook.create_sheet(sheet)
    else:
        notes.title = sheet
        data = notes
    data["A1"] = TITLE
    data.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    data["A2"] = "Keadaan per 1 Desember 2026"
    data.append([])
    data.append(list(header))
    for row in rows:
        data.append(list(row))
    for cell in data["D"]:
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook as Excel would save it after computing: each formula cell named in
    ``values`` (coordinate -> value) carries its result (openpyxl saves formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = content.decode()
                for where, value in values.items():
                    text = re.sub(
                        rf'<c r="{where}"([^>]*)><f>(.*?)</f><v\s*/>',
                        rf'<c r="{where}"\1 t="str"><f>\2</f><v>{value}</v>',
                        text,
                    )
                content = text.encode()
            archive.writestr(info, content)
    return target.getvalue()
