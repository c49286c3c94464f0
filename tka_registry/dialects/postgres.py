"""PostgreSQL forms of the feature queries (full-text search with a GIN index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def worker_search_clause(terms: Sequence[str], compact: str) -> tuple[str, list[Any]]:
    """Every term as a prefix in ``worker_search``'s tsvector, or the compacted number.

    Terms are letters and digits only (workers.search), so no tsquery operator can slip in.
    """
    words = " & ".join(f"{term}:*" for term in terms)
    query = f"({words}) | {compact}:*" if len(terms) > 1 else words
    return (
        "w.id IN (SELECT s.worker_id FROM worker_search s"
        " WHERE to_tsvector('simple', s.terms) @@ to_tsquery('simple', {}))",
        [query],
    )
