"""What a record may lack and still be kept: the office's own sheets are incomplete (issue 18).

A gap is the empty value itself (NULL for a date or a number the registry must not guess, an
empty text for a free-text field); there is no separate flag to drift from it. Each gap names the
record, the field, and what to tell an officer in both languages. The worklist "Data belum
lengkap" and every ``missing`` list read these definitions, in Python and in SQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """One field a record may lack: ``record`` is employer, passport or worker."""

    record: str
    field: str
    indonesian: str
    english: str
    is_text: bool  # stored empty ("") rather than NULL

    @property
    def key(self) -> str:
        return f"{self.record}.{self.field}"

    def label(self, language: str = "id") -> str:
        return self.english if language == "en" else self.indonesian

    def sql(self, alias: str) -> str:
        """The SQL condition true when the record ``alias`` lacks the field."""
        column = f"{alias}.{self.field}"
        return f"({column} IS NULL OR {column} = '')" if self.is_text else f"{column} IS NULL"


GAPS: tuple[Gap, ...] = (
    Gap("employer", "nib", "NIB perusahaan", "Employer NIB", False),
    Gap("employer", "npwp", "NPWP perusahaan", "Employer NPWP", False),
    Gap("employer", "address", "Alamat perusahaan", "Employer address", True),
    Gap("employer", "regency", "Kabupaten/kota perusahaan", "Employer regency", True),
    Gap("employer", "sector", "Sektor usaha", "Business sector", True),
    Gap("passport", "issued_on", "Tanggal terbit paspor", "Passport issue date", False),
    Gap("passport", "expires_on", "Masa berlaku paspor", "Passport expiry date", False),
    Gap("worker", "place_of_birth", "Tempat lahir TKA", "Worker's place of birth", True),
    Gap("worker", "address", "Alamat TKA", "Worker's address", True),
)
GAPS_BY_KEY: dict[str, Gap] = {gap.key: gap for gap in GAPS}


def gaps_of(record: str) -> tuple[Gap, ...]:
    return tuple(gap for gap in GAPS if gap.record == record)


def missing_fields(record: str, values: Mapping[str, object]) -> list[str]:
    """The fields of ``record`` (employer, passport, worker) that ``values`` lacks."""
    return [gap.field for gap in gaps_of(record) if values.get(gap.field) in (None, "")]
