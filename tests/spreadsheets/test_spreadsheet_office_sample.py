"""A messy file as the office's spreadsheets really look: Indonesian Excel, Windows-1252,
semicolons, capitals, nationalities in Indonesian, spaced passport numbers, mixed dates."""

from __future__ import annotations

import io
from datetime import date

from tka_registry.settings import DEFAULT_REGENCIES
from tka_registry.spreadsheets.columns import ImportRow, RowErrors, normalise_row
from tka_registry.spreadsheets.reading import open_workers_csv

SAMPLE = """\
No;NAMA;JK;TGL LAHIR;TEMPAT LAHIR;KEWARGANEGARAAN;NO. PASPOR;MASA BERLAKU PASPOR;PERUSAHAAN;\
JABATAN;ALAMAT;KAB/KOTA;JENIS IZIN;INDEKS VISA;NO. ITAS;TGL TERBIT;BERLAKU S.D.;Keterangan
1;ZHANG WEI;L;12-03-1985;CHONGQING;Tiongkok;E 1234 5678;31/01/2033;PT Pupuk Sriwidjaja;\
Process Engineer;"Jl. Mayor Zen; Kalidoni";Palembang;KITAS;E23C;2C11AB1234;05 Jan 2026;\
4 Januari 2027;perpanjangan ke-2
2;LI NA;P;3 Agt 1990;Wuhan;RRT;EJ 987 6543;2034-08-01;PT Tanjung Enim Lestari;Chemist;-;\
Kab. Ogan Ilir;;;;;;
3;KIM MIN-JUN;Laki-laki;05.11.1979;Seoul;Korea Selatan;M12345678;5 Mei 2031;PT OKI Pulp & Paper;\
Manager;Jl. Lintas Timur KM 5;kab banyuasin;ITAS;E23B;2C11CD5678;1 Agustus 2025;31 Juli 2026;

4;SIOBHÁN O'BRIEN;Perempuan;31/12/1988;Dublin;Inggris;123 456 789;01/06/2030;Universitas Sriwijaya;\
Lecturer;Indralaya;Ogan Ilir;ITAS;E23Q;2C11EF9012;1 Feb 2026;31 Jan 2027;
5;BUDI X;X;31/02/1990;Atlantis;Atlantis;12;2030-01-01;;;;Kota Jambi;ITAS;;;;;
6;RAJESH KUMAR;M;12/31/1982;Chennai;India;Z 1234567;1 Desember 2032;PT PLN;Technician;;\
Prabumulih;KITAS;E23M;2C11GH3456;;30/11/2026;
"""


def read_sample() -> tuple[list[ImportRow], list[RowErrors], tuple[str, ...]]:
    data = SAMPLE.replace("\n", "\r\n").encode("cp1252")
    good: list[ImportRow] = []
    bad: list[RowErrors] = []
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert (sheet.layout.encoding, sheet.layout.delimiter) == ("cp1252", ";")
        ignored = sheet.layout.ignored_headers
        for raw in sheet:
            result = normalise_row(raw, DEFAULT_REGENCIES)
            if isinstance(result, ImportRow):
                good.append(result)
            else:
                bad.append(result)
    return good, bad, ignored


def test_good_rows_are_normalised() -> None:
    good, _, ignored = read_sample()
    assert ignored == ("No", "Keterangan")
    assert [
        (row.line, row.full_name, row.sex, row.nationality, row.passport_number, row.regency)
        for row in good
    ] == [
        (2, "Zhang Wei", "M", "CHN", "E12345678", "Kota Palembang"),
        (3, "Li Na", "F", "CHN", "EJ9876543", "Kabupaten Ogan Ilir"),
        (4, "Kim Min-Jun", "M", "KOR", "M12345678", "Kabupaten Banyuasin"),
        (6, "Siobhán O'Brien", "F", "GBR", "123456789", "Kabupaten Ogan Ilir"),
    ]
    zhang, li, kim, siobhan = good
    assert zhang.address == "Jl. Mayor Zen; Kalidoni"
    assert zhang.place_of_birth == "Chongqing"
    assert (zhang.permit_kind, zhang.visa_index, zhang.permit_number) == (
        "ITAS",
        "E23C",
        "2C11AB1234",
    )
    assert (zhang.permit_issued_on, zhang.permit_expires_on) == (date(2026, 1, 5), date(2027, 1, 4))
    assert li.date_of_birth == date(1990, 8, 3) and li.address is None and not li.has_permit
    assert kim.date_of_birth == date(1979, 11, 5) and kim.passport_expires_on == date(2031, 5, 5)
    assert siobhan.employer_name == "Universitas Sriwijaya"


def test_bad_rows_report_every_cell_with_the_files_header() -> None:
    _, bad, _ = read_sample()
    assert [(errors.line, [(p.header, p.field) for p in errors.problems]) for errors in bad] == [
        (
            7,
            [
                ("JK", "sex"),
                ("TGL LAHIR", "date_of_birth"),
                ("KEWARGANEGARAAN", "nationality"),
                ("NO. PASPOR", "passport_number"),
                ("KAB/KOTA", "regency"),
                ("NO. ITAS", "permit_number"),
                ("BERLAKU S.D.", "permit_expires_on"),
            ],
        ),
        (8, [("TGL LAHIR", "date_of_birth")]),
    ]
    rajesh = bad[1].problems[0].reason
    assert "bukan urutan Amerika" in rajesh.indonesian and "12/31/1982" in rajesh.english
