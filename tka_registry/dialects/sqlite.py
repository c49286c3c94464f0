"""SQLite forms of the feature queries (FTS5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def worker_search_clause(terms: Sequence[str], compact: str) -> tuple[str, list[Any]]:
    """Every term as a prefix in the FTS5 table ``worker_search``, or the compacted number.

    Terms are letters and digits only (workers.search), so quoting them is enough.
    """
    words = " AND ".join(f'"{term}"*' for term in terms)
    query = f'({words}) OR "{compact}"*' if len(terms) > 1 else words
    return "w.id IN (SELECT rowid FROM worker_search WHERE worker_search MATCH {})", [query]
