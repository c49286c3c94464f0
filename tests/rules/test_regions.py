"""Regency names of the office's working area."""

from __future__ import annotations

import pytest

from tka_registry.rules.regions import official_regency
from tka_registry.settings import DEFAULT_REGENCIES


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Kota Palembang", "Kota Palembang"),
        ("kota  palembang", "Kota Palembang"),
        ("Palembang", "Kota Palembang"),
        ("Kab. Banyuasin", "Kabupaten Banyuasin"),
        ("kab banyuasin", "Kabupaten Banyuasin"),
        ("Ogan Komering Ilir", "Kabupaten Ogan Komering Ilir"),
        ("Musi Rawas Utara", "Kabupaten Musi Rawas Utara"),
    ],
)
def test_official_names(written: str, official: str) -> None:
    assert official_regency(written, DEFAULT_REGENCIES) == official


@pytest.mark.parametrize("written", ["Kota Jambi", "Lahat", "", "Kabupaten"])
def test_places_outside_the_area(written: str) -> None:
    assert official_regency(written, DEFAULT_REGENCIES) is None
