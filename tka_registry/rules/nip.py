"""The civil servant's number (NIP, Nomor Induk Pegawai) printed under an officer's signature.

Peraturan Kepala BKN 22/2007 (NIP PNS; kept by PP 11/2017 on civil-servant management) fixes 18
digits in four parts: the birth date (yyyymmdd), the year and month of appointment as a
candidate civil servant (TMT CPNS, yyyymm), the sex (1 man, 2 woman) and a three-digit sequence
(001-999) among those sharing the first fifteen digits. PP 11/2017 art. 23 admits candidates from
18 years of age, so an appointment before the 18th birthday's month cannot be genuine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NIP_DIGITS = 18
# PP 11/2017 art. 23(1)(a): at least 18 years old when applying.
MIN_APPOINTMENT_AGE_YEARS = 18


@dataclass(frozen=True)
class NipParts:
    """The four parts of a well-formed NIP."""

    birth_date: date
    appointed_year: int
    appointed_month: int
    sex: str  # "M" or "F"
    sequence: int


def nip_problem(nip: str, *, today: date | None = None) -> str | None:
    """Why ``nip`` is not a well-formed NIP, in English, or None when it is.

    ``today`` (when given) refuses a birth date or an appointment in the future.
    """
    if len(nip) != NIP_DIGITS or not nip.isascii() or not nip.isdigit():
        return f"a NIP has exactly {NIP_DIGITS} digits, got {len(nip)} characters"
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return f"digits 1-8 must be the birth date (yyyymmdd): {nip[0:8]} is no calendar day"
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        return f"digits 9-14 must be the appointment year and month (yyyymm): month {month:02d}"
    if (year, month) < (born.year + MIN_APPOINTMENT_AGE_YEARS, born.month):
        return (
            f"appointment {year}-{month:02d} is before the age of {MIN_APPOINTMENT_AGE_YEARS}"
            f" (born {born.isoformat()})"
        )
    if today is not None and (born > today or (year, month) > (today.year, today.month)):
        return "the birth date or the appointment lies in the future"
    if nip[14] not in "12":
        return f"digit 15 is the sex: 1 (man) or 2 (woman), not {nip[14]}"
    if nip[15:] == "000":
        return "digits 16-18 are a sequence from 001 to 999"
    return None


def nip_parts(nip: str) -> NipParts | None:
    """The parts of a well-formed ``nip``, or None."""
    if nip_problem(nip) is not None:
        return None
    return NipParts(
        birth_date=date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        appointed_year=int(nip[8:12]),
        appointed_month=int(nip[12:14]),
        sex="M" if nip[14] == "1" else "F",
        sequence=int(nip[15:]),
    )


def normalised_nip(text: str) -> str:
    """The digits of a NIP as people write it (``19850304 201012 1 001``): spaces and dots go."""
    return "".join(ch for ch in text if ch not in " .-")
