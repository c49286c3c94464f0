"""Render many documents in parallel across processes (``documents render --all``).

WeasyPrint is CPU-bound and holds the GIL, so threads give nothing; a pool of processes does.
Each worker builds its renderer once, and is replaced after ``recycle_after`` documents because
WeasyPrint's memory grows slowly across renders.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

from tka_registry.documents.render import (
    DecisionLetter,
    DocumentIncomplete,
    PermitDocument,
    missing_fields,
    render_document,
    renderer,
)

Key = TypeVar("Key", bound=Hashable)
RECYCLE_AFTER = 200


def _start_worker() -> None:
    renderer()  # templates, fonts and stylesheets prepared before the first document arrives


def _render_one(
    item: tuple[Key, PermitDocument | DecisionLetter, str],
) -> tuple[Key, bytes]:
    key, document, language = item
    return key, render_document(document, language)


def render_many(
    documents: Iterable[tuple[Key, PermitDocument | DecisionLetter]],
    processes: int,
    *,
    language: str = "id",
    recycle_after: int = RECYCLE_AFTER,
) -> Iterator[tuple[Key, bytes]]:
    """Yield ``(key, pdf bytes)`` for each ``(key, document)``, in completion order.

    ``processes`` worker processes (at least 1) render in parallel; each is replaced after
    ``recycle_after`` documents. Every document is checked first: one that lacks data raises
    :class:`DocumentIncomplete` (its ``missing`` names the key and fields) before any render.
    """
    items = [(key, document, language) for key, document in documents]
    for key, document, _ in items:
        missing = missing_fields(document)
        if missing:
            raise DocumentIncomplete(tuple(f"{key}.{name}" for name in missing))
    if not items:
        return
    # spawn, not fork: the caller may be a threaded web server, and fork copies locks mid-use.
    # multiprocessing.Pool, not ProcessPoolExecutor: on Python 3.11 the executor's
    # max_tasks_per_child can hang when a worker is replaced (CPython gh-115634).
    context = multiprocessing.get_context("spawn")
    with context.Pool(
        processes=max(1, processes),
        initializer=_start_worker,
        maxtasksperchild=max(1, recycle_after),
    ) as pool:
        yield from pool.imap_unordered(_render_one, items, chunksize=1)
