"""The office's messy sheet, and the registry it is imported into."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.conftest import NOW
from tests.factories import NPWPS, employer_body
from tka_registry.accounts.roles import Actor
from tka_registry.employers.schemas import EmployerIn
from tka_registry.employers.service import create_employer
from tka_registry.settings import Settings
from tka_registry.spreadsheets.service import ImportReport, import_workers

TODAY = date(2026, 11, 22)
OFFICER = Actor(account_id=None, email="petugas@imigrasi.test", role="officer", employer_id=None,
                address="127.0.0.1")  # fmt: skip

# Indonesian Excel, Windows-1252, semicolons, capitals, Indonesian country names, spaced
# passport numbers, mixed date forms; line 6 cannot be imported, line 7 lacks the passport's issue
# date and line 8 names an employer not on record (both imported, left incomplete).
MESSY = """\
No;NAMA;JK;TGL LAHIR;TEMPAT LAHIR;KEWARGANEGARAAN;NO. PASPOR;TGL TERBIT PASPOR;\
MASA BERLAKU PASPOR;PERUSAHAAN;JABATAN;ALAMAT;KAB/KOTA;JENIS IZIN;INDEKS VISA;NO. ITAS;\
TGL TERBIT;BERLAKU S.D.;Keterangan
1;ZHANG WEI;L;12-03-1985;CHONGQING;Tiongkok;E 1234 5678;01/02/2023;31/01/2033;\
PT. PUPUK SRIWIDJAJA;Process Engineer;"Jl. Mayor Zen; Kalidoni";Palembang;KITAS;E23C;\
2C11AB1234;05 Jan 2026;4 Januari 2027;perpanjangan ke-2
2;LI NA;P;3 Agt 1990;Wuhan;RRT;EJ 987 6543;2024-08-02;2034-08-01;;Chemist;-;Kab. Ogan Ilir;;;;;;
3;KIM MIN-JUN;Laki-laki;05.11.1979;Seoul;Korea Selatan;M12345678;6 Mei 2021;5 Mei 2031;\
PT OKI Pulp & Paper;Manager;Jl. Lintas Timur KM 5;kab banyuasin;ITAS;E23B;2C11CD5678;\
1 Agustus 2025;31 Juli 2026;
4;SIOBHÁN O'BRIEN;Perempuan;31/12/1988;Dublin;Inggris;123 456 789;02/06/2020;01/06/2030;\
universitas sriwijaya;Lecturer;Indralaya;Ogan Ilir;ITAS;E23Q;2C11EF9012;1 Feb 2026;31 Jan 2027;
5;BUDI X;X;31/02/1990;Atlantis;Atlantis;12;;2030-01-01;;;;Kota Jambi;ITAS;;;;;
6;RAJESH KUMAR;M;1982-12-01;Chennai;India;Z 1234567;;1 Desember 2032;;Technician;;Prabumulih;;;;;;
7;PARK JI-HOON;L;1 Januari 1980;Busan;Korea Selatan;M 99887766;02/01/2022;2032-01-01;\
PT Tidak Terdaftar;Welder;;Palembang;;;;;;
"""
GOOD_LINES = [2, 3, 4, 5, 7, 8]
BAD_LINES = [6]


def messy_bytes(text: str = MESSY) -> bytes:
    return text.replace("\n", "\r\n").encode("cp1252")


EMPLOYERS = (
    ("PT Pupuk Sriwidjaja", NPWPS[0]),
    ("PT OKI Pulp & Paper", NPWPS[1]),
    ("Universitas Sriwijaya", NPWPS[3]),
)


async def office_employers(settings: Settings) -> list[int]:
    """The employers the sheet names, registered as the counter would."""
    ids = []
    for index, (name, npwp) in enumerate(EMPLOYERS):
        body = EmployerIn(**employer_body(index, name=name, npwp=npwp))
        employer = await create_employer(Actor.system("tests"), body, settings=settings, now=NOW)
        ids.append(employer.id)
    return ids


async def run_import(path: Path, settings: Settings, **options: Any) -> ImportReport:
    return await import_workers(OFFICER, str(path), settings=settings, today=TODAY, now=NOW,
                                **options)  # fmt: skip


def outcomes(report: ImportReport) -> dict[int, str]:
    return {row.line: row.outcome for row in report.rows}
