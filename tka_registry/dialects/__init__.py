"""What differs between SQLite and PostgreSQL in feature queries, one module per engine.

Feature code asks :func:`dialect_of` for the engine's module instead of branching on the engine;
each module offers the same functions (see :class:`Dialect`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, cast

from piccolo.engine.base import Engine


class Dialect(Protocol):
    def worker_search_clause(self, terms: Sequence[str], compact: str) -> tuple[str, list[Any]]:
        """A condition on ``w.id``: workers whose search terms match (workers.search)."""
        ...


def dialect_of(engine: Engine[Any]) -> Dialect:
    from tka_registry.dialects import postgres, sqlite

    return cast(Dialect, sqlite if engine.engine_type == "sqlite" else postgres)
