"""Worker and passport input and output."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tka_registry.permits.schemas import PermitOut
from tka_registry.rules.nationality import canonical_nationality

PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{1,20}$")


def checked_nationality(value: str) -> str:
    return canonical_nationality(value)


def checked_passport_number(value: str) -> str:
    """Passport numbers as printed, spaces and dashes dropped, upper case (ICAO 9303)."""
    compact = re.sub(r"[\s-]", "", value).upper()
    if not PASSPORT_NUMBER.match(compact):
        raise ValueError("passport number may hold only letters and digits, at most 20")
    return compact


Nationality = Annotated[str, AfterValidator(checked_nationality)]
PassportNumber = Annotated[str, AfterValidator(checked_passport_number)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Place = Annotated[str, Field(min_length=1, max_length=120)]
Sex = Literal["M", "F"]


class PassportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: PassportNumber
    issuing_country: Nationality
    issued_on: date
    expires_on: date

    @model_validator(mode="after")
    def expires_after_issue(self) -> PassportIn:
        if self.expires_on <= self.issued_on:
            raise ValueError(
                f"passport expires_on {self.expires_on} must be after issued_on {self.issued_on}"
            )
        return self


class PassportOut(BaseModel):
    """A passport on record; a date is None when the office's records lack it (to complete)."""

    id: int
    number: str
    issuing_country: str
    issued_on: date | None
    expires_on: date | None
    created_at: datetime


class WorkerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: Name
    sex: Sex
    date_of_birth: date
    place_of_birth: Place
    nationality: Nationality
    address: Annotated[str, Field(min_length=1, max_length=500)]
    regency: Annotated[str, Field(min_length=1, max_length=100)]
    position: Annotated[str, Field(min_length=1, max_length=150)]
    employer_id: int | None = None
    passport: PassportIn


class WorkerPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: Name | None = None
    sex: Sex | None = None
    date_of_birth: date | None = None
    place_of_birth: Place | None = None
    nationality: Nationality | None = None
    address: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    regency: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    position: Annotated[str, Field(min_length=1, max_length=150)] | None = None
    employer_id: int | None = None


# The list's rows are plain dataclasses, not pydantic models: they are built from typed database
# rows (nothing to validate) and a page of 50 built as models cost 0.3 ms, a third of the
# worker list's own CPU (bench/bench_workers.py). Not frozen either: a frozen dataclass sets each
# field through object.__setattr__, 3 us a row of 11 fields against 1 us (0.2 ms a page). Each
# row is built for one answer and only read after.
@dataclass(slots=True)
class CurrentPermit:
    """The worker's current permit and its state today (permits.state)."""

    id: int
    number: str
    kind: str
    visa_index: str
    valid_from: date
    expires_on: date
    status: str
    days_to_expiry: int
    overstay_days: int


@dataclass(slots=True)
class WorkerSummary:
    """A worker as a list row."""

    id: int
    full_name: str
    sex: str
    date_of_birth: date
    nationality: str
    nationality_name: str
    regency: str
    position: str
    employer_id: int | None
    passport_number: str | None
    current_permit: CurrentPermit | None


class WorkerOut(BaseModel):
    id: int
    full_name: str
    sex: str
    date_of_birth: date
    place_of_birth: str
    nationality: str
    nationality_name: str
    nationality_name_id: str
    address: str
    regency: str
    position: str
    employer_id: int | None
    status: str
    passports: list[PassportOut]
    permits: list[PermitOut]
    created_at: datetime
    updated_at: datetime
