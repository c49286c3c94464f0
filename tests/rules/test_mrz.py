"""Passport MRZ (ICAO Doc 9303 part 4, TD3): parsing, check digits, fillers, typed comparison."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tka_registry.rules.mrz import (
    MrzError,
    MrzPassport,
    MrzProblem,
    birth_date,
    check_digit,
    compare_with_typed,
    expiry_date,
    parse_td3,
)

TODAY = date(2025, 6, 1)

# ICAO Doc 9303 part 4, appendix: the specimen data page of Anna Maria Eriksson, Utopia.
SPECIMEN_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
SPECIMEN_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
SPECIMEN = f"{SPECIMEN_1}\n{SPECIMEN_2}"
# German specimen passport (Erika Mustermann): ICAO's one-letter code D with two fillers.
GERMAN_1 = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<"
GERMAN_2 = "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"


def icao_digit(field: str) -> str:
    """Check digit written independently of the code under test (ICAO 9303 part 3, 4.9)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    values = [0 if char == "<" else alphabet.index(char) for char in field]
    weights = [7, 3, 1] * 20
    return str(sum(v * w for v, w in zip(values, weights, strict=False)) % 10)


def make_td3(
    *,
    name: str = "ERIKSSON<<ANNA<MARIA",
    issuing: str = "UTO",
    number: str = "L898902C3",
    nationality: str = "UTO",
    born: str = "740812",
    sex: str = "F",
    expires: str = "120415",
    personal: str = "ZE184226B",
    personal_digit: str | None = None,
) -> tuple[str, str]:
    """Two valid MRZ lines from their fields, every check digit computed by ``icao_digit``."""
    line1 = f"P<{issuing:<<3}{name}".ljust(44, "<")[:44]
    personal_field = personal.ljust(14, "<")
    number_part = number.ljust(9, "<") + icao_digit(number.ljust(9, "<"))
    born_part = born + icao_digit(born)
    expires_part = expires + icao_digit(expires)
    personal_part = personal_field + (personal_digit or icao_digit(personal_field))
    composite = icao_digit(number_part + born_part + expires_part + personal_part)
    line2 = (
        f"{number_part}{nationality:<<3}{born_part}{sex}{expires_part}{personal_part}{composite}"
    )
    assert len(line1) == len(line2) == 44
    return line1, line2


def problems_of(text: str, today: date = TODAY) -> list[MrzProblem]:
    with pytest.raises(MrzError) as caught:
        parse_td3(text, today=today)
    return caught.value.problems


def with_char(line: str, index: int, char: str) -> str:
    return line[:index] + char + line[index + 1 :]


# --- the independent helper agrees with ICAO's published digits ------------------------------


def test_independent_helper_reproduces_the_specimen_digits() -> None:
    assert icao_digit("L898902C3") == "6"
    assert icao_digit("740812") == "2"
    assert icao_digit("120415") == "9"
    assert icao_digit("ZE184226B<<<<<") == "1"
    assert make_td3() == (SPECIMEN_1, SPECIMEN_2)


@pytest.mark.parametrize(
    ("field", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("ZE184226B<<<<<", 1), ("<<<<<<", 0)],
)
def test_check_digit_matches_icao_examples(field: str, digit: int) -> None:
    assert check_digit(field) == digit


def test_check_digit_weights_letters_from_ten() -> None:
    # A=10 weight 7 -> 70 -> 0; Z=35 weight 7 -> 245 -> 5; "<Z" -> 35 * 3 = 105 -> 5.
    assert (check_digit("A"), check_digit("Z"), check_digit("<Z")) == (0, 5, 5)


# --- valid passports ----------------------------------------------------------------------------


def test_icao_specimen_reads_every_field() -> None:
    passport = parse_td3(SPECIMEN, today=TODAY)
    assert passport == MrzPassport(
        document_code="P",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        passport_number="L898902C3",
        nationality="UTO",
        date_of_birth=date(1974, 8, 12),
        sex="F",
        expires_on=date(2012, 4, 15),
        personal_number="ZE184226B",
        line1=SPECIMEN_1,
        line2=SPECIMEN_2,
    )
    assert passport.full_name == "ANNA MARIA ERIKSSON"
    assert passport.names_truncated is False


def test_utopia_is_not_a_country_code() -> None:
    passport = parse_td3(SPECIMEN, today=TODAY)
    assert passport.nationality_code is None
    assert passport.issuing_state_code is None


def test_german_passport_one_letter_code_and_filler_personal_number() -> None:
    passport = parse_td3(f"{GERMAN_1}\n{GERMAN_2}", today=TODAY)
    assert (passport.issuing_state, passport.nationality) == ("D", "D")
    assert passport.nationality_code == "DEU"
    assert passport.issuing_state_code == "DEU"
    assert (passport.surname, passport.given_names) == ("MUSTERMANN", "ERIKA")
    assert passport.passport_number == "C01X00T47"
    assert passport.date_of_birth == date(1964, 8, 12)
    assert passport.expires_on == date(2027, 2, 28)
    assert passport.personal_number is None


def test_iso_nationality_maps_to_itself() -> None:
    line1, line2 = make_td3(name="WANG<<XIAOMING", issuing="CHN", nationality="CHN")
    assert parse_td3(f"{line1}\n{line2}", today=TODAY).nationality_code == "CHN"


@pytest.mark.parametrize("digit", ["<", "0"])
def test_filler_only_personal_number_accepts_filler_or_zero_check(digit: str) -> None:
    line1, line2 = make_td3(personal="", personal_digit=digit)
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert passport.personal_number is None
    assert passport.line2[42] == digit


def test_filler_only_personal_number_rejects_other_digit() -> None:
    line1, line2 = make_td3(personal="", personal_digit="5")
    problems = problems_of(f"{line1}\n{line2}")
    assert MrzProblem("personal_number", "check_digit", expected="0", found="5") in problems


def test_used_personal_number_needs_a_real_check_digit() -> None:
    line1, line2 = make_td3(personal="AB12", personal_digit="<")
    problems = problems_of(f"{line1}\n{line2}")
    expected = icao_digit("AB12<<<<<<<<<<")
    assert MrzProblem("personal_number", "check_digit", expected=expected, found="<") in problems


def test_short_passport_number_loses_its_fillers() -> None:
    line1, line2 = make_td3(number="AB123")
    assert line2.startswith("AB123<<<<")
    assert parse_td3(f"{line1}\n{line2}", today=TODAY).passport_number == "AB123"


def test_names_fillers_become_spaces() -> None:
    line1, line2 = make_td3(name="VAN<DER<BERG<<JAN<PIETER<KLAAS")
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert (passport.surname, passport.given_names) == ("VAN DER BERG", "JAN PIETER KLAAS")


def test_single_name_component_is_the_surname() -> None:
    line1, line2 = make_td3(name="SUKARNO")
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert (passport.surname, passport.given_names, passport.full_name) == (
        "SUKARNO",
        "",
        "SUKARNO",
    )


def test_name_filling_the_line_is_marked_truncated() -> None:
    long_name = "NILAVARAPU<VENKATA<SUBRAMANYA<<SATYANARAYANA<RAGHU"
    line1, line2 = make_td3(name=long_name)
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert passport.names_truncated is True
    assert passport.surname == "NILAVARAPU VENKATA SUBRAMANYA"
    assert passport.given_names == "SATYANAR"


@pytest.mark.parametrize(("char", "sex"), [("M", "M"), ("F", "F"), ("<", None), ("X", None)])
def test_sex_codes(char: str, sex: str | None) -> None:
    line1, line2 = make_td3(sex=char)
    assert parse_td3(f"{line1}\n{line2}", today=TODAY).sex == sex


# --- pasted text --------------------------------------------------------------------------------


def test_lower_case_is_upper_cased() -> None:
    passport = parse_td3(SPECIMEN.lower(), today=TODAY)
    assert passport.surname == "ERIKSSON"
    assert passport.line2 == SPECIMEN_2


def test_windows_newlines_blank_lines_and_outer_spaces_are_tolerated() -> None:
    text = f"\r\n  \t{SPECIMEN_1}   \r\n\r\n   {SPECIMEN_2}\t\r\n\r\n"
    assert parse_td3(text, today=TODAY).passport_number == "L898902C3"


def test_old_mac_newline_is_tolerated() -> None:
    assert parse_td3(f"{SPECIMEN_1}\r{SPECIMEN_2}", today=TODAY).nationality == "UTO"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", "0"),
        ("   \n\n", "0"),
        (SPECIMEN_1 + SPECIMEN_2, "1"),
        (f"{SPECIMEN}\n{SPECIMEN_2}", "3"),
    ],
)
def test_line_count_must_be_two(text: str, count: str) -> None:
    assert problems_of(text) == [MrzProblem("lines", "line_count", expected="2", found=count)]


def test_bad_lengths_name_each_line() -> None:
    problems = problems_of(f"{SPECIMEN_1[:-1]}\n{SPECIMEN_2}<")
    assert problems == [
        MrzProblem("line1", "length", expected="44", found="43"),
        MrzProblem("line2", "length", expected="44", found="45"),
    ]


def test_inner_spaces_are_not_removed() -> None:
    problems = problems_of(f"{SPECIMEN_1}\nL898902C3 6UTO7408122F1204159ZE184226B<<<<<10")
    assert problems[0] == MrzProblem("line2", "length", expected="44", found="45")
    assert problems[1] == MrzProblem("line2", "characters", found=" ", position=10)


def test_line1_problems_are_kept_when_line2_is_too_short() -> None:
    problems = problems_of(f"V{SPECIMEN_1[1:]}\n{SPECIMEN_2[:30]}")
    assert [p.field for p in problems] == ["line2", "document_code"]


def test_invalid_characters_name_line_column_and_skip_their_checks() -> None:
    line2 = with_char(with_char(SPECIMEN_2, 3, "?"), 30, "é")
    problems = problems_of(f"{SPECIMEN_1}\n{line2}")
    # The passport number and composite digits cannot be computed over '?', so no false alarms.
    assert problems == [MrzProblem("line2", "characters", found="?é", position=4)]


def test_invalid_character_in_line1() -> None:
    problems = problems_of(f"{with_char(SPECIMEN_1, 10, '-')}\n{SPECIMEN_2}")
    assert problems == [MrzProblem("line1", "characters", found="-", position=11)]


# --- check digits -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "field"),
    [(9, "passport_number"), (19, "date_of_birth"), (27, "expires_on"), (42, "personal_number")],
)
def test_each_wrong_check_digit_names_its_field(index: int, field: str) -> None:
    right = SPECIMEN_2[index]
    wrong = str((int(right) + 1) % 10)
    problems = problems_of(f"{SPECIMEN_1}\n{with_char(SPECIMEN_2, index, wrong)}")
    assert problems[0] == MrzProblem(field, "check_digit", expected=right, found=wrong)
    # The composite covers every check digit, so it fails along with it.
    assert [p.field for p in problems] == [field, "composite"]


def test_wrong_composite_alone() -> None:
    problems = problems_of(f"{SPECIMEN_1}\n{with_char(SPECIMEN_2, 43, '3')}")
    assert problems == [MrzProblem("composite", "check_digit", expected="0", found="3")]


def test_altered_data_is_caught_by_field_and_composite_digits() -> None:
    # A mistyped passport number (L898902C3 -> L898902C8) keeps its old check digit.
    problems = problems_of(f"{SPECIMEN_1}\n{with_char(SPECIMEN_2, 8, '8')}")
    assert [(p.field, p.found) for p in problems] == [("passport_number", "6"), ("composite", "0")]


def test_filler_check_digit_is_wrong_outside_the_personal_number() -> None:
    problems = problems_of(f"{SPECIMEN_1}\n{with_char(SPECIMEN_2, 9, '<')}")
    assert problems[0] == MrzProblem("passport_number", "check_digit", expected="6", found="<")


def test_composite_ranges_skip_nationality_and_sex() -> None:
    # Nationality (11-13) and sex (21) are outside the composite: changing them breaks nothing.
    line1, line2 = make_td3(nationality="SWE", sex="M")
    assert line2[43] == SPECIMEN_2[43]
    assert parse_td3(f"{line1}\n{line2}", today=TODAY).nationality == "SWE"


def test_multiple_problems_are_reported_together() -> None:
    line1 = with_char(SPECIMEN_1, 0, "I")
    line2 = with_char(with_char(with_char(SPECIMEN_2, 9, "1"), 20, "Q"), 27, "0")
    problems = problems_of(f"{line1}\n{line2}")
    assert {p.field for p in problems} == {
        "document_code",
        "passport_number",
        "expires_on",
        "composite",
        "sex",
    }
    assert MrzProblem("sex", "invalid_sex", found="Q") in problems
    assert MrzProblem("document_code", "not_passport", expected="P", found="I<") in problems


# --- field contents -----------------------------------------------------------------------------


def test_impossible_dates_are_reported_with_their_check_digits_intact() -> None:
    line1, line2 = make_td3(born="741332", expires="250230")
    problems = problems_of(f"{line1}\n{line2}")
    assert problems == [
        MrzProblem("date_of_birth", "impossible_date", found="741332"),
        MrzProblem("expires_on", "impossible_date", found="250230"),
    ]


def test_partly_unknown_birth_date_is_reported() -> None:
    line1, line2 = make_td3(born="74<<<<")
    assert problems_of(f"{line1}\n{line2}") == [
        MrzProblem("date_of_birth", "unknown_date", found="74<<<<")
    ]


def test_letters_in_a_date_are_impossible() -> None:
    line1, line2 = make_td3(born="74O812")
    assert problems_of(f"{line1}\n{line2}") == [
        MrzProblem("date_of_birth", "impossible_date", found="74O812")
    ]


@pytest.mark.parametrize(
    ("nationality", "problem"),
    [
        ("<<<", MrzProblem("nationality", "missing")),
        ("U1O", MrzProblem("nationality", "invalid_code", found="U1O")),
        ("<DE", MrzProblem("nationality", "invalid_code", found="<DE")),
    ],
)
def test_bad_nationality_codes(nationality: str, problem: MrzProblem) -> None:
    line1, line2 = make_td3(nationality=nationality)
    assert problems_of(f"{line1}\n{line2}") == [problem]


def test_missing_passport_number_and_surname() -> None:
    line1, line2 = make_td3(name="", number="")
    assert problems_of(f"{line1}\n{line2}") == [
        MrzProblem("surname", "missing"),
        MrzProblem("passport_number", "missing"),
    ]


def test_digits_in_the_name_are_reported() -> None:
    line1, line2 = make_td3(name="ERIK55ON<<ANNA")
    assert problems_of(f"{line1}\n{line2}") == [MrzProblem("name", "invalid_name", found="5")]


def test_visa_or_id_card_is_not_a_passport() -> None:
    line1, line2 = make_td3()
    problems = problems_of(f"{with_char(line1, 0, 'V')}\n{line2}")
    assert problems == [MrzProblem("document_code", "not_passport", expected="P", found="V<")]


def test_passport_type_letter_is_kept() -> None:
    line1, line2 = make_td3()
    assert parse_td3(f"{with_char(line1, 1, 'D')}\n{line2}", today=TODAY).document_code == "PD"


# --- two-digit years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yymmdd", "today", "born"),
    [
        ("250601", date(2025, 6, 1), date(2025, 6, 1)),  # born today: this century
        ("250602", date(2025, 6, 1), date(1925, 6, 2)),  # tomorrow: last century
        ("000101", date(2025, 6, 1), date(2000, 1, 1)),
        ("991231", date(2025, 6, 1), date(1999, 12, 31)),
        ("000229", date(2025, 6, 1), date(2000, 2, 29)),  # leap day of 2000
        ("991231", date(2000, 1, 1), date(1999, 12, 31)),
        ("000101", date(2000, 1, 1), date(2000, 1, 1)),
    ],
)
def test_birth_century_is_the_latest_not_in_the_future(
    yymmdd: str, today: date, born: date
) -> None:
    assert birth_date(yymmdd, today) == born


def test_birth_leap_day_that_exists_in_no_past_century() -> None:
    # 29 Feb 2004 is after 1 Jan 2004 and 1904-02-29 is the only past reading.
    assert birth_date("040229", date(2004, 1, 1)) == date(1904, 2, 29)
    assert birth_date("000229", date(2000, 1, 1)) is None  # 2000 not yet, 1900 not leap


@pytest.mark.parametrize(
    ("yymmdd", "expires"),
    [
        ("120415", date(2012, 4, 15)),
        ("351231", date(2035, 12, 31)),
        ("751231", date(2075, 12, 31)),  # 50 years ahead: still this century
        ("760101", date(1976, 1, 1)),  # 51 years ahead would be absurd: the past
        ("990101", date(1999, 1, 1)),
    ],
)
def test_expiry_year_window(yymmdd: str, expires: date) -> None:
    assert expiry_date(yymmdd, date(2025, 6, 1)) == expires


def test_expiry_window_moves_with_today() -> None:
    assert expiry_date("760101", date(2026, 1, 1)) == date(2076, 1, 1)
    assert expiry_date("000101", date(2049, 12, 31)) == date(2000, 1, 1)
    assert expiry_date("000101", date(2050, 1, 1)) == date(2100, 1, 1)


def test_parse_uses_the_given_today_for_both_dates() -> None:
    line1, line2 = make_td3(born="300101", expires="300101")
    early = parse_td3(f"{line1}\n{line2}", today=date(2025, 6, 1))
    late = parse_td3(f"{line1}\n{line2}", today=date(2030, 1, 1))
    assert (early.date_of_birth, early.expires_on) == (date(1930, 1, 1), date(2030, 1, 1))
    assert late.date_of_birth == date(2030, 1, 1)


def test_today_is_required() -> None:
    with pytest.raises(TypeError):
        parse_td3(SPECIMEN)  # type: ignore[call-arg]


# --- messages -----------------------------------------------------------------------------------


def test_messages_default_to_indonesian_with_english_available() -> None:
    problem = MrzProblem("passport_number", "check_digit", expected="6", found="7")
    assert problem.message() == "Digit pemeriksa nomor paspor salah: seharusnya 6, tertulis 7."
    assert (
        problem.message("en") == "Check digit of the passport number is wrong: expected 6, found 7."
    )


def test_invalid_character_message_quotes_a_space() -> None:
    problem = MrzProblem("line2", "characters", found=" ", position=10)
    assert problem.message().startswith('Baris 2 MRZ memuat karakter tidak sah " " (mulai kolom')
    assert problem.message("en").startswith('MRZ line 2 has invalid characters " " (first at')


def test_error_text_lists_every_problem() -> None:
    with pytest.raises(MrzError, match=r"line 1 must be 44.*line 2 must be 44"):
        parse_td3("P<UTO\nL898", today=TODAY)


# --- typed fields against the MRZ ---------------------------------------------------------------

SPECIMEN_PASSPORT = parse_td3(SPECIMEN, today=TODAY)
MATCHING = {
    "surname": "Eriksson",
    "given_names": "  anna   maria ",
    "full_name": "Anna Maria ERIKSSON",
    "passport_number": "L898902C3",
    "nationality": "UTO",
    "date_of_birth": date(1974, 8, 12),
    "sex": "F",
    "expires_on": "2012-04-15",
}


def test_matching_typed_fields_raise_nothing() -> None:
    assert compare_with_typed(SPECIMEN_PASSPORT, MATCHING) == []


@pytest.mark.parametrize(
    ("field", "typed", "mrz_value"),
    [
        ("surname", "Erikson", "ERIKSSON"),
        ("given_names", "Anna", "ANNA MARIA"),
        ("full_name", "Anna Eriksson", "ANNA MARIA ERIKSSON"),
        ("passport_number", "L898902C4", "L898902C3"),
        ("nationality", "SWE", "UTO"),
        ("date_of_birth", date(1974, 12, 8), "1974-08-12"),
        ("date_of_birth", "12-08-1974", "1974-08-12"),
        ("sex", "M", "F"),
        ("sex", "?", "F"),
        ("expires_on", datetime(2012, 4, 16, 9, 0), "2012-04-15"),
    ],
)
def test_each_typed_mismatch_is_named(field: str, typed: object, mrz_value: str) -> None:
    problems = compare_with_typed(SPECIMEN_PASSPORT, {**MATCHING, field: typed})
    assert len(problems) == 1
    assert (problems[0].field, problems[0].reason, problems[0].expected) == (
        field,
        "mismatch",
        mrz_value,
    )


def test_several_typed_mismatches_are_all_listed() -> None:
    typed = {**MATCHING, "surname": "Smith", "sex": "M", "nationality": "SWE"}
    assert [p.field for p in compare_with_typed(SPECIMEN_PASSPORT, typed)] == [
        "surname",
        "nationality",
        "sex",
    ]


def test_empty_and_unknown_typed_fields_are_skipped() -> None:
    typed = {"surname": "", "given_names": None, "sex": "  ", "employer": "PT Pusri"}
    assert compare_with_typed(SPECIMEN_PASSPORT, typed) == []


def test_full_name_may_be_typed_surname_first() -> None:
    assert compare_with_typed(SPECIMEN_PASSPORT, {"full_name": "ERIKSSON Anna-Maria"}) == []


def test_passport_number_typed_with_spaces_and_lower_case() -> None:
    assert compare_with_typed(SPECIMEN_PASSPORT, {"passport_number": " l898 902-c3 "}) == []


@pytest.mark.parametrize("typed", ["p", "Perempuan", "female", "Wanita"])
def test_sex_typed_in_indonesian_or_english(typed: str) -> None:
    assert compare_with_typed(SPECIMEN_PASSPORT, {"sex": typed}) == []


def test_unspecified_sex_matches_x_only() -> None:
    line1, line2 = make_td3(sex="<")
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert compare_with_typed(passport, {"sex": "X"}) == []
    assert [p.expected for p in compare_with_typed(passport, {"sex": "M"})] == ["<"]


def test_nationality_typed_as_indonesian_name_for_icao_d() -> None:
    german = parse_td3(f"{GERMAN_1}\n{GERMAN_2}", today=TODAY)
    for typed in ("Jerman", "DEU", "germany", "D"):
        assert compare_with_typed(german, {"nationality": typed}) == []
    assert compare_with_typed(german, {"nationality": "Belanda"})[0].expected == "D"
    assert compare_with_typed(german, {"nationality": "Atlantis"})[0].found == "Atlantis"


@pytest.mark.parametrize(
    ("mrz_name", "typed"),
    [
        ("MUELLER<<JUERGEN", "Müller Jürgen"),  # ICAO spelling Ü -> UE
        ("MULLER<<JURGEN", "Müller Jürgen"),  # marks dropped
        ("ONEILL<<SEAN", "O'Neill Seán"),  # apostrophe omitted, accent dropped
        ("GARCIA<MARQUEZ<<JOSE<LUIS", "García-Márquez José Luis"),  # hyphen becomes a filler
        ("STRASSE<<AEGIR", "Straße Ægir"),
        ("NGUYEN<<VAN<ANH", "NGUYỄN Văn Anh"),
    ],
)
def test_names_compare_through_mrz_transliteration(mrz_name: str, typed: str) -> None:
    line1, line2 = make_td3(name=mrz_name)
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert compare_with_typed(passport, {"full_name": typed}) == []


def test_umlaut_does_not_match_a_different_name() -> None:
    line1, line2 = make_td3(name="MULLER<<JURGEN")
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    assert [p.field for p in compare_with_typed(passport, {"surname": "Möller"})] == ["surname"]


def test_truncated_mrz_name_accepts_the_full_typed_name() -> None:
    long_name = "NILAVARAPU<VENKATA<SUBRAMANYA<<SATYANARAYANA<RAGHU"
    line1, line2 = make_td3(name=long_name)
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    typed = {
        "surname": "Nilavarapu Venkata Subramanya",
        "given_names": "Satyanarayana Raghu",
        "full_name": "Nilavarapu Venkata Subramanya Satyanarayana Raghu",
    }
    assert compare_with_typed(passport, typed) == []
    given_first = "Satyanarayana Raghu Nilavarapu Venkata Subramanya"
    assert compare_with_typed(passport, {"full_name": given_first}) == []
    wrong = compare_with_typed(passport, {"given_names": "Srinivas"})
    assert [(p.field, p.expected) for p in wrong] == [("given_names", "SATYANAR")]


def test_untruncated_name_needs_every_given_name() -> None:
    problems = compare_with_typed(SPECIMEN_PASSPORT, {"given_names": "Anna Mariana"})
    assert [p.found for p in problems] == ["Anna Mariana"]


def test_truncated_name_still_needs_the_surname() -> None:
    long_name = "NILAVARAPU<VENKATA<SUBRAMANYA<<SATYANARAYANA<RAGHU"
    line1, line2 = make_td3(name=long_name)
    passport = parse_td3(f"{line1}\n{line2}", today=TODAY)
    problems = compare_with_typed(passport, {"full_name": "Satyanarayana Raghu Nilavarapu"})
    assert [p.field for p in problems] == ["full_name"]


def test_full_name_words_must_not_mix_surname_and_given_names() -> None:
    problems = compare_with_typed(SPECIMEN_PASSPORT, {"full_name": "Anna Eriksson Maria"})
    assert [p.field for p in problems] == ["full_name"]
