"""Numbers of outgoing decision letters: unique and gapless per year (and per kind when the
pattern names the kind), like the office's register of outgoing letters (agenda surat keluar).

The next number comes from a counter row updated inside the decision's own transaction: a
decision that rolls back gives its number back, and two decisions at once wait for each other on
the row (PostgreSQL) or the write lock (SQLite), so no number is skipped or given twice. Every
number given is kept in ``issued_letter`` with the officer who signed it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from tka_registry.accounts.officers import Signatory
from tka_registry.documents.tables import IssuedLetter, LetterCounter
from tka_registry.settings import Settings

PATTERN_FIELDS = frozenset({"office", "kind", "year", "sequence"})
ALL_KINDS = "*"  # the counter's series when the pattern does not name the kind


class LetterKind(StrEnum):
    """The kinds of letter, as printed in the number."""

    APPROVAL = "SETUJU"
    REJECTION = "TOLAK"


@dataclass(frozen=True)
class NumberedLetter:
    """A number given to a letter, and who signs it."""

    number: str
    kind: str
    year: int
    sequence: int
    issued_on: date
    signatory: Signatory


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot number letters, or None (it must name {year} and {sequence})."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        unknown = names - PATTERN_FIELDS
        if unknown:
            return f"TKA_LETTER_NUMBER_PATTERN names unknown fields: {', '.join(sorted(unknown))}"
        letter_number(pattern, office="X", kind="X", year=2026, sequence=1)
    except (ValueError, KeyError, IndexError) as error:
        return f"TKA_LETTER_NUMBER_PATTERN {pattern!r} is not a format pattern: {error}"
    if not {"year", "sequence"} <= names:
        return "TKA_LETTER_NUMBER_PATTERN must name {year} and {sequence}"
    return None


def letter_number(pattern: str, *, office: str, kind: str, year: int, sequence: int) -> str:
    """The letter number ``pattern`` gives for these values."""
    return pattern.format(office=office, kind=kind, year=year, sequence=sequence)


def series_of(pattern: str, kind: str) -> str:
    """Which counter a kind draws from: its own when the number shows the kind, else one."""
    return kind if "{kind" in pattern else ALL_KINDS


async def next_sequence(series: str, year: int) -> int:
    """Take the next number of ``series`` in ``year``; call inside the decision's transaction."""
    await LetterCounter.raw(
        "INSERT INTO letter_counter (series, year, last_sequence) VALUES ({}, {}, 0)"
        " ON CONFLICT (series, year) DO NOTHING",
        series,
        year,
    )
    rows = await LetterCounter.raw(
        "UPDATE letter_counter SET last_sequence = last_sequence + 1"
        " WHERE series = {} AND year = {} RETURNING last_sequence",
        series,
        year,
    )
    return int(rows[0]["last_sequence"])


async def number_letter(
    kind: LetterKind,
    *,
    owner_type: str,
    owner_id: int,
    signatory: Signatory,
    issued_on: date,
    settings: Settings,
    now: datetime,
) -> NumberedLetter:
    """Give the next number to a letter of ``owner`` signed by ``signatory`` and record it.

    Must run inside the decision's write transaction (db.write_transaction).
    """
    pattern = settings.letter_number_pattern
    problem = pattern_problem(pattern)
    if problem:
        raise RuntimeError(problem)
    year = issued_on.year
    sequence = await next_sequence(series_of(pattern, kind.value), year)
    number = letter_number(
        pattern, office=settings.office_code, kind=kind.value, year=year, sequence=sequence
    )
    await IssuedLetter.insert(
        IssuedLetter(
            number=number,
            kind=kind.value,
            year=year,
            sequence=sequence,
            owner_type=owner_type,
            owner_id=owner_id,
            account_id=signatory.account_id,
            officer_name=signatory.full_name,
            officer_nip=signatory.nip,
            officer_position=signatory.position,
            issued_on=issued_on,
            created_at=now,
        )
    )
    return NumberedLetter(number, kind.value, year, sequence, issued_on, signatory)


async def letter_of(owner_type: str, owner_id: int, kind: LetterKind) -> NumberedLetter | None:
    """The number and signatory given to ``owner``'s letter of ``kind``, or None."""
    row = (
        await IssuedLetter.select()
        .where(
            (IssuedLetter.owner_type == owner_type)
            & (IssuedLetter.owner_id == owner_id)
            & (IssuedLetter.kind == kind.value)
        )
        .order_by(IssuedLetter.id, ascending=False)
        .first()
    )
    if row is None:
        return None
    signatory = Signatory(
        row["account_id"], row["officer_name"], row["officer_nip"], row["officer_position"]
    )
    return NumberedLetter(
        row["number"], row["kind"], row["year"], row["sequence"], row["issued_on"], signatory
    )
