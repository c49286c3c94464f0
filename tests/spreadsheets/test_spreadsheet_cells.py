"""Each cell normaliser at its boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from tka_registry.settings import DEFAULT_REGENCIES
from tka_registry.spreadsheets.cells import (
    CellError,
    clean_text,
    is_blank,
    parse_date,
    parse_nationality,
    parse_npwp,
    parse_passport_number,
    parse_permit_kind,
    parse_permit_number,
    parse_person_name,
    parse_place_name,
    parse_regency,
    parse_sex,
    parse_visa_index,
)


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-05",
        "2027-1-5",
        "2027-01-05 00:00:00",
        "2027-01-05T00:00",
        "2027/01/05",
        "05/01/2027",
        "5/1/2027",
        "05-01-2027",
        "05.01.2027",
        "5 Januari 2027",
        "05 Jan 2027",
        "05 JAN 2027",
        "5-Jan-2027",
        "5 January 2027",
        "January 5, 2027",
        "Jan 5th, 2027",
        "Senin, 5 Januari 2027",
        "  5   januari   2027 ",
    ],
)
def test_date_formats_all_read_5_january_2027(text: str) -> None:
    assert parse_date(text) == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("5 Februari 2027", 2), ("5 Peb 2027", 2), ("5 Mei 2027", 5), ("5 Juni 2027", 6),
        ("5 Agustus 2027", 8), ("5 Agt 2027", 8), ("5 Ags 2027", 8), ("5 Aug 2027", 8),
        ("5 Okt 2027", 10), ("5 Nopember 2027", 11), ("5 Des 2027", 12),
        ("5 Desember 2027", 12), ("5 Dec. 2027", 12),
    ],
)  # fmt: skip
def test_indonesian_and_english_month_names(text: str, month: int) -> None:
    assert parse_date(text) == date(2027, month, 5)


def test_day_comes_first_in_numeric_dates() -> None:
    assert parse_date("01/02/2027") == date(2027, 2, 1)


def test_last_day_of_february_in_leap_year_is_accepted_and_day_after_is_not() -> None:
    assert parse_date("29/02/2028") == date(2028, 2, 29)
    with pytest.raises(CellError, match="29 Februari 2027 tidak ada"):
        parse_date("29/02/2027")


def test_impossible_date_names_the_day_in_both_languages() -> None:
    with pytest.raises(CellError) as caught:
        parse_date("31/02/2027")
    assert caught.value.reason.indonesian.startswith("tanggal 31 Februari 2027 tidak ada")
    assert caught.value.reason.text("en").startswith("31 February 2027 does not exist")


def test_us_order_date_gets_a_hint() -> None:
    with pytest.raises(CellError, match="bukan urutan Amerika") as caught:
        parse_date("12/31/2027")
    assert "12/31/2027" in caught.value.reason.english


@pytest.mark.parametrize("text", ["05/01/27", "5 Jan 27", "27-01-05"])
def test_two_digit_years_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(CellError, match="tahun dua digit"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["31/12/1899", "01/01/2101", "5 Januari 20277", "0/01/2027", "05/13/2027"]
)
def test_dates_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_date(text)


def test_year_boundaries_are_accepted() -> None:
    assert parse_date("01/01/1900") == date(1900, 1, 1)
    assert parse_date("31/12/2100") == date(2100, 12, 31)


@pytest.mark.parametrize("text", ["05/01-2027", "2027", "kemarin", "5 Foo 2027", "05012027"])
def test_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_date(text)


def test_excel_serial_number_is_explained() -> None:
    with pytest.raises(CellError, match="nomor seri tanggal Excel"):
        parse_date("46392")


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("L", "M"), ("l", "M"), ("Laki-laki", "M"), ("LAKI LAKI", "M"), ("Pria", "M"),
        ("M", "M"), ("Male", "M"), ("P", "F"), ("Perempuan", "F"), ("Wanita", "F"),
        ("F", "F"), ("female", "F"), (" p ", "F"),
    ],
)  # fmt: skip
def test_sex_spellings(text: str, sex: str) -> None:
    assert parse_sex(text) == sex


@pytest.mark.parametrize("text", ["PR", "X", "?", "LP"])
def test_unknown_or_ambiguous_sex_is_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_sex(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("Tiongkok", "CHN"), ("RRT", "CHN"), ("china", "CHN"), ("Korea Selatan", "KOR"),
     ("Inggris", "GBR"), ("Jepang", "JPN"), ("IND", "IND"), ("D", "DEU"), ("my", "MYS")],
)  # fmt: skip
def test_nationality_names_and_codes(text: str, code: str) -> None:
    assert parse_nationality(text) == code


def test_unknown_nationality_names_the_text() -> None:
    with pytest.raises(CellError, match='kewarganegaraan "Atlantis" tidak dikenal'):
        parse_nationality("Atlantis")


def test_passport_number_is_compacted() -> None:
    assert parse_passport_number(" e 1234-5678 ") == "E12345678"
    assert parse_passport_number("E12345678<<") == "E12345678"


def test_passport_number_length_boundaries() -> None:
    assert parse_passport_number("A1234") == "A1234"
    assert parse_passport_number("A" * 20) == "A" * 20
    with pytest.raises(CellError, match="4 karakter"):
        parse_passport_number("A123")
    with pytest.raises(CellError, match="21 karakter"):
        parse_passport_number("A" * 21)


@pytest.mark.parametrize("text", ["E1234/567", "É1234567", "E12_34567"])
def test_passport_number_characters(text: str) -> None:
    with pytest.raises(CellError, match="huruf A-Z dan angka"):
        parse_passport_number(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ZHANG WEI", "Zhang Wei"),
        ("  zhang   wei ", "Zhang Wei"),
        ("O'BRIEN", "O'Brien"),
        ("SEAN O’BRIEN", "Sean O'Brien"),
        ("JEAN-PIERRE DUPONT", "Jean-Pierre Dupont"),
        ("PIETER VAN DER BERG", "Pieter van der Berg"),
        ("AHMAD BIN ISMAIL", "Ahmad bin Ismail"),
        ("VAN HALEN", "Van Halen"),
        ("JOHN SMITH III", "John Smith III"),
        ("RONALD MCDONALD", "Ronald McDonald"),
        ("JOSÉ GARCÍA", "José García"),
        ("Kim Min-jun", "Kim Min-jun"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    assert parse_person_name(text) == name


@pytest.mark.parametrize("text", ["Zhang Wei 2", "=cmd()", "A@B"])
def test_person_name_characters(text: str) -> None:
    with pytest.raises(CellError, match="tidak boleh"):
        parse_person_name(text)


def test_person_name_length_boundary() -> None:
    assert len(parse_person_name("A" * 150)) == 150
    with pytest.raises(CellError, match="terlalu panjang"):
        parse_person_name("A" * 151)


def test_place_names_get_capitals_like_names() -> None:
    assert parse_place_name("RIO DE JANEIRO") == "Rio de Janeiro"
    assert parse_place_name("Kuala Lumpur") == "Kuala Lumpur"


def test_npwp_is_validated_and_compacted() -> None:
    assert parse_npwp("01.312.166.0-091.000") == "013121660091000"
    assert parse_npwp("0013121660091000") == "0013121660091000"


def test_npwp_errors_say_what_is_wrong() -> None:
    with pytest.raises(CellError, match="berisi 9 angka"):
        parse_npwp("123456789")
    with pytest.raises(CellError, match="angka pemeriksanya"):
        parse_npwp("01.312.166.1-091.000")
    with pytest.raises(CellError, match="hanya boleh berisi angka"):
        parse_npwp("01.312.166.0-091.00A")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("ITAS", "ITAS"), ("kitas", "ITAS"), ("e-ITAS", "ITAS"), ("KITAP", "ITAP"),
     ("itap", "ITAP"), ("ITK", "ITK")],
)  # fmt: skip
def test_permit_kinds(text: str, kind: str) -> None:
    assert parse_permit_kind(text) == kind


def test_unknown_permit_kind() -> None:
    with pytest.raises(CellError, match="ITAS, ITAP atau ITK"):
        parse_permit_kind("Visa")


def test_visa_index() -> None:
    assert parse_visa_index("e 23 b") == "E23B"
    assert parse_visa_index("C312") == "C312"
    with pytest.raises(CellError):
        parse_visa_index("23E")


def test_permit_number_boundaries() -> None:
    assert parse_permit_number(" 2c11 je1234-x ") == "2C11JE1234-X"
    assert parse_permit_number("A123") == "A123"
    with pytest.raises(CellError):
        parse_permit_number("A12")
    with pytest.raises(CellError):
        parse_permit_number("A" * 41)


@pytest.mark.parametrize(
    ("text", "official"),
    [
        ("Kota Palembang", "Kota Palembang"),
        ("kota palembang", "Kota Palembang"),
        ("Palembang", "Kota Palembang"),
        ("Kab. Banyuasin", "Kabupaten Banyuasin"),
        ("Kab Banyuasin", "Kabupaten Banyuasin"),
        ("KABUPATEN OGAN ILIR", "Kabupaten Ogan Ilir"),
        ("Musi Rawas", "Kabupaten Musi Rawas"),
        ("Musi Rawas Utara", "Kabupaten Musi Rawas Utara"),
    ],
)
def test_regencies_match_official_names(text: str, official: str) -> None:
    assert parse_regency(text, DEFAULT_REGENCIES) == official


def test_bare_regency_name_shared_by_a_city_and_a_regency_is_ambiguous() -> None:
    regencies = ("Kota Bogor", "Kabupaten Bogor")
    with pytest.raises(CellError, match="Kota Bogor atau Kabupaten Bogor"):
        parse_regency("Bogor", regencies)
    assert parse_regency("Kab. Bogor", regencies) == "Kabupaten Bogor"


def test_regency_outside_the_area_lists_the_area() -> None:
    with pytest.raises(CellError, match="bukan wilayah kerja") as caught:
        parse_regency("Kota Jambi", DEFAULT_REGENCIES)
    assert "Kota Prabumulih" in caught.value.reason.english


def test_blank_cells_include_the_clerks_dash() -> None:
    assert is_blank("") and is_blank("  ") and is_blank("-") and is_blank(None)
    assert not is_blank("0")


def test_clean_text_collapses_spaces_and_unguards_formulas() -> None:
    assert clean_text("  Jl.  Sudirman\n No. 5 ") == "Jl. Sudirman No. 5"
    assert (
        clean_text(" Jl. Merdeka  1\r\n\r\n Kalidoni ", multiline=True) == "Jl. Merdeka 1\nKalidoni"
    )
    assert clean_text("'=SUM(A1)") == "=SUM(A1)"
    assert clean_text("'Abdi") == "'Abdi"
    assert len(clean_text("x" * 500)) == 500
    with pytest.raises(CellError, match="terlalu panjang"):
        clean_text("x" * 501)
