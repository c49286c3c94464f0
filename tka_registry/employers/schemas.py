"""Employer input and output."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import npwp as npwp_number

NIB_PATTERN = re.compile(r"^\d{13}$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def checked_nib(value: str) -> str:
    """NIB (Nomor Induk Berusaha, PP 5/2021): 13 digits, spaces ignored."""
    compact = re.sub(r"\s", "", value)
    if not NIB_PATTERN.match(compact):
        raise ValueError("NIB must be exactly 13 digits")
    return compact


def checked_npwp(value: str) -> str:
    """NPWP validated with python-stdnum (check digit included); stored as digits."""
    try:
        return str(npwp_number.validate(value))
    except StdnumError as error:
        raise ValueError(f"NPWP is not valid: {error}") from None


def checked_email(value: str) -> str:
    value = value.strip().lower()
    if value and not EMAIL_PATTERN.match(value):
        raise ValueError(f'"{value}" is not an email address')
    return value


Nib = Annotated[str, AfterValidator(checked_nib)]
Npwp = Annotated[str, AfterValidator(checked_npwp)]
Email = Annotated[str, Field(max_length=254), AfterValidator(checked_email)]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]


class EmployerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text200
    nib: Nib
    npwp: Npwp
    address: Annotated[str, Field(min_length=1, max_length=500)]
    regency: Text200
    sector: Annotated[str, Field(min_length=1, max_length=100)]
    email: Email = ""
    phone: Annotated[str, Field(max_length=40)] = ""


class EmployerPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text200 | None = None
    nib: Nib | None = None
    npwp: Npwp | None = None
    address: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    regency: Text200 | None = None
    sector: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None


class EmployerOut(BaseModel):
    """An employer; ``nib``/``npwp`` are None for one created from a sheet that named it only,
    and ``missing`` names the fields still to complete."""

    id: int
    name: str
    nib: str | None
    npwp: str | None
    npwp_formatted: str | None
    address: str
    regency: str
    sector: str
    email: str
    phone: str
    created_at: datetime
    updated_at: datetime
    missing: list[str] = []
