"""Helpers that build CSV files as the office's spreadsheet programs save them."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

MINIMAL_HEADER = [
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Kewarganegaraan",
    "No. Paspor",
    "Masa Berlaku Paspor",
]


def csv_bytes(
    lines: list[str], *, encoding: str = "utf-8", bom: bool = False, newline: str = "\r\n"
) -> bytes:
    """``lines`` joined into a file in ``encoding``, optionally with a UTF-8 BOM."""
    data = (newline.join(lines) + newline).encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


@pytest.fixture
def write_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write bytes to a file in the test's folder and return its path."""

    def write(data: bytes, name: str = "workers.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
