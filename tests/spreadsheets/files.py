"""Building CSV files as the office's spreadsheet programs save them."""

from __future__ import annotations

import codecs

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
