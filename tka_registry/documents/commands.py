"""``documents render --all``: render every permit lacking a current document, in parallel."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from tka_registry.accounts.roles import Actor
from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.db import write_transaction
from tka_registry.documents.keys import SigningKeyRefused, rotate_signing_key
from tka_registry.documents.render import TEMPLATE_VERSION, PermitDocument
from tka_registry.documents.service import (
    DocumentKind,
    missing_problems,
    permit_documents,
    store_document,
)
from tka_registry.documents.tables import StoredDocument
from tka_registry.permits.tables import Permit
from tka_registry.rules.calendar import utc_now
from tka_registry.settings import Settings

STORE_BATCH = 50  # documents stored per transaction


def register(subparsers: Subparsers) -> None:
    documents = subparsers.add_parser("documents", help="permit documents")
    actions = documents.add_subparsers(dest="action", required=True, metavar="ACTION")
    render = actions.add_parser(
        "render", help="render permits that lack a current document of this template version"
    )
    render.add_argument(
        "--all", action="store_true", required=True, help="every permit lacking a document"
    )
    render.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="render processes (default: one per CPU)",
    )
    render.add_argument("--limit", type=int, default=None, help="render at most this many")
    render.set_defaults(handler=run_render)
    keys = subparsers.add_parser("keys", help="the keys that sign permit QR codes")
    key_actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    rotate = key_actions.add_parser(
        "rotate", help="retire the signing key (it keeps verifying) and sign with a new one"
    )
    rotate.set_defaults(handler=run_rotate)


def run_rotate(arguments: argparse.Namespace, settings: Settings) -> int:
    """``keys rotate``: every process signs with the new key from its next document on."""

    async def work() -> int:
        try:
            old, new = await rotate_signing_key(settings)
        except SigningKeyRefused as refused:
            return fail(str(refused))
        print(f"retired signing key {old} (still verifies what it signed); signing with {new}")
        return 0

    return run_with_database(settings, work)


async def permits_lacking_document(limit: int | None = None) -> list[int]:
    """Ids of permits without a current permit document of the current template version."""
    query = (
        "SELECT p.id FROM permit p WHERE NOT EXISTS (SELECT 1 FROM stored_document d"
        " WHERE d.permit = p.id AND d.kind = {} AND d.is_current AND d.template_version = {})"
        " ORDER BY p.id"
    )
    rows = await Permit.raw(query, DocumentKind.PERMIT.value, TEMPLATE_VERSION)
    ids = [int(row["id"]) for row in rows]
    return ids if limit is None else ids[:limit]


class Progress:
    """A one-line text progress bar on ``stream`` (stderr), redrawn at most 10 times a second."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.done, self.started, self.drawn = 0, time.perf_counter(), 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done == self.total:
            self.drawn = now
            filled = self.width * self.done // max(1, self.total)
            rate = self.done / max(now - self.started, 1e-9)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {rate:6.1f} documents/s")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def _batches(results: Iterable[tuple[int, bytes]], size: int) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def render_all(
    settings: Settings, *, processes: int, limit: int | None = None, stream: TextIO = sys.stderr
) -> tuple[int, list[str], float]:
    """Render and store every permit lacking a current document.

    Answers (documents stored, one line per permit skipped for missing data, seconds).
    """
    from tka_registry.documents.batch import render_many

    started = time.perf_counter()
    ids = await permits_lacking_document(limit)
    documents = await permit_documents(ids, settings)
    ready: list[tuple[int, PermitDocument]] = []
    skipped: list[str] = []
    for permit_id in ids:
        problems = missing_problems(documents[permit_id])
        if problems:
            skipped.append(f"permit {permit_id}: lacks {', '.join(p.field for p in problems)}")
        else:
            ready.append((permit_id, documents[permit_id]))
    progress = Progress(len(ready), stream)
    actor, now, stored = Actor.system("documents render --all"), utc_now(), 0
    results = render_many(ready, processes, language=settings.language)
    for batch in _batches(results, STORE_BATCH):
        async with write_transaction(StoredDocument._meta.db):
            for permit_id, pdf in batch:
                await store_document(
                    actor,
                    pdf=pdf,
                    kind=DocumentKind.PERMIT,
                    settings=settings,
                    now=now,
                    permit_id=permit_id,
                )
        stored += len(batch)
        progress.advance(len(batch))
    return stored, skipped, time.perf_counter() - started


def run_render(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.processes < 1:
        return fail("--processes must be at least 1")

    async def work() -> int:
        stored, skipped, seconds = await render_all(
            settings, processes=arguments.processes, limit=arguments.limit
        )
        for line in skipped:
            print(f"skipped {line}", file=sys.stderr)
        rate = stored / seconds if seconds > 0 else 0.0
        print(
            f"rendered {stored} documents in {seconds:.1f} s ({rate:.1f} documents/s, "
            f"{arguments.processes} processes); {len(skipped)} skipped for missing data"
        )
        return 0

    return run_with_database(settings, work)
