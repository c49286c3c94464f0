"""PostgreSQL forms of the feature queries (full-text search with a GIN index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# A prefix this short matches a large part of the index ("p" of every passport number): such
# terms only filter the rows the longer ones found (measured in bench/bench_search.py).
SHORT_PREFIX = 1


def _tsquery(terms: Sequence[str], compact: str) -> str:
    words = " & ".join(f"{term}:*" for term in terms)
    return f"({words}) | {compact}:*" if len(terms) > 1 else words


def worker_search_clause(terms: Sequence[str], compact: str) -> tuple[str, list[Any]]:
    """Every term as a prefix in ``worker_search``'s tsvector, or the compacted number.

    Terms are letters and digits only (workers.search), so no tsquery operator can slip in.
    The GIN index is asked with the longer terms only; the whole query then checks each row
    found (the concatenation hides the expression from the index).
    """
    whole = _tsquery(terms, compact)
    long_terms = [term for term in terms if len(term) > SHORT_PREFIX]
    if len(long_terms) in (0, len(terms)):
        return (
            "w.id IN (SELECT s.worker_id FROM worker_search s"
            " WHERE to_tsvector('simple', s.terms) @@ to_tsquery('simple', {}))",
            [whole],
        )
    found_by = f"({' & '.join(f'{term}:*' for term in long_terms)}) | {compact}:*"
    return (
        "w.id IN (SELECT s.worker_id FROM worker_search s"
        " WHERE to_tsvector('simple', s.terms) @@ to_tsquery('simple', {})"
        " AND (to_tsvector('simple', s.terms) || ''::tsvector) @@ to_tsquery('simple', {}))",
        [found_by, whole],
    )
