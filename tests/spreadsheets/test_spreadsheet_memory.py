"""Streaming: memory while reading does not grow with the number of rows."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tka_registry.settings import DEFAULT_REGENCIES
from tka_registry.spreadsheets.columns import ImportRow, normalise_row
from tka_registry.spreadsheets.reading import open_workers_csv
from tka_registry.spreadsheets.writing import write_workers_csv


def records(count: int) -> Iterator[dict[str, object]]:
    for number in range(count):
        yield {
            "full_name": f"ZHANG WEI {chr(65 + number % 26)}",
            "sex": "M",  # written as "Laki-laki"
            "date_of_birth": "12 Maret 1985",
            "nationality": ("Tiongkok", "RRT", "Korea Selatan", "Inggris")[number % 4],
            "passport_number": f"E {number:08d}",
            "passport_expires_on": date(2030, 1, 1) + timedelta(days=number % 900),
            "address": "Jl. Sudirman No. 5, Palembang",
            "regency": "Palembang",
        }


def peak_bytes_reading(path: Path) -> tuple[int, int]:
    imported = 0
    tracemalloc.start()
    try:
        with open_workers_csv(path) as sheet:
            for raw in sheet:
                imported += isinstance(normalise_row(raw, DEFAULT_REGENCIES), ImportRow)
        return imported, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    peaks = []
    for count in (2_000, 40_000):
        path = tmp_path / f"{count}.csv"
        with path.open("wb") as stream:
            write_workers_csv(records(count), stream)
        imported, peak = peak_bytes_reading(path)
        assert imported == count
        peaks.append(peak)
    small, large = peaks
    assert large < small + 512 * 1024, f"peak grew from {small} to {large} bytes"
