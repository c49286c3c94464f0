"""Finding a worker by any name order, passport (old ones too), permit, register number or employer.

The terms live in the ``worker_search`` index, kept by triggers (migration 2026-12-01T19:00);
the engine's form of the match is in ``tka_registry.dialects``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tka_registry.dialects import dialect_of
from tka_registry.employers.tables import Employer
from tka_registry.rules.nationality import fold
from tka_registry.workers.schemas import WorkerSummary
from tka_registry.workers.tables import Worker

MAX_TERMS = 10
_TERM = re.compile(r"[^\W_]+")


def search_terms(text: str) -> tuple[str, ...]:
    """The words of ``text``: lower case, accents removed, split at anything not a letter or digit.

    "X 123-456" gives ("x", "123", "456"); their concatenation "x123456" is the compacted number
    that the index stores for passports, permits and register numbers.
    """
    return tuple(_TERM.findall(fold(text)))[:MAX_TERMS]


def search_clause(text: str) -> tuple[str, list[Any]]:
    """A condition on ``w.id`` (worker alias ``w``) true for workers that match every term."""
    terms = search_terms(text)
    if not terms:
        return "1 = 0", []
    return dialect_of(Worker._meta.db).worker_search_clause(terms, "".join(terms))


async def employer_names(items: Sequence[WorkerSummary]) -> dict[int, str]:
    """The names of the employers of ``items``, by id, for a result list."""
    ids = sorted({item.employer_id for item in items if item.employer_id is not None})
    if not ids:
        return {}
    rows = await Employer.select(Employer.id, Employer.name).where(Employer.id.is_in(ids))
    return {row["id"]: row["name"] for row in rows}
