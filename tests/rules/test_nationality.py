"""Nationality codes: ICAO 9303 codes, ISO alpha-3 via pycountry, Indonesian and English names."""

from __future__ import annotations

import pytest

from tka_registry.rules.nationality import (
    UnknownNationality,
    canonical_nationality,
    fold,
    is_known_code,
    nationality_name,
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("CHN", "CHN"),
        ("chn", "CHN"),
        ("CN", "CHN"),
        ("China", "CHN"),
        ("Tiongkok", "CHN"),
        ("RRT", "CHN"),
        ("Cina", "CHN"),
        ("  tiongkok ", "CHN"),
        ("People's Republic of China", "CHN"),
        ("Inggris", "GBR"),
        ("United Kingdom", "GBR"),
        ("GBR", "GBR"),
        ("Britania Raya", "GBR"),
        ("Korea Selatan", "KOR"),
        ("South Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Jepang", "JPN"),
        ("Japan", "JPN"),
        ("India", "IND"),
        ("Malaysia", "MYS"),
        ("Amerika Serikat", "USA"),
        ("Belanda", "NLD"),
        ("Jerman", "DEU"),
        ("D", "DEU"),
        ("D<<", "DEU"),
        ("Taiwan", "TWN"),
        ("Thailand", "THA"),
        ("Singapura", "SGP"),
        ("GBD", "GBD"),
        ("GBN", "GBN"),
        ("RKS", "RKS"),
        ("XXA", "XXA"),
        ("UNO", "UNO"),
        ("Côte d'Ivoire", "CIV"),
        ("cote d'ivoire", "CIV"),
    ],
)
def test_written_forms_map_to_one_code(written: str, code: str) -> None:
    assert canonical_nationality(written) == code


@pytest.mark.parametrize("written", ["XYZ", "", "   ", "Atlantis", "ZZ", "UTO", "<<<"])
def test_unknown_nationalities_are_refused_with_the_text(written: str) -> None:
    with pytest.raises(UnknownNationality) as refused:
        canonical_nationality(written)
    assert "unknown nationality" in str(refused.value)


def test_names_in_both_languages() -> None:
    assert nationality_name("CHN", "en") == "China"
    assert nationality_name("CHN", "id") == "Tiongkok"
    assert nationality_name("KOR", "en") == "South Korea"
    assert nationality_name("KOR", "id") == "Korea Selatan"
    assert nationality_name("JPN", "id") == "Jepang"
    assert nationality_name("GBR", "id") == "Inggris"
    assert nationality_name("XXA", "en") == "Stateless person"


def test_known_codes_are_canonical_only() -> None:
    assert is_known_code("CHN") and is_known_code("GBD")
    assert not is_known_code("chn") and not is_known_code("D") and not is_known_code("XYZ")


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Zhāng   WĚI ") == "zhang wei"
    assert fold("Müller") == "muller"
