"""``migrate``, ``serve``, ``backup`` and ``restore``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import logging.config
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.db import close_database, engine_for, open_database
from tka_registry.documents.keys import SigningKeyRefused, ensure_signing_key
from tka_registry.documents.tables import SigningKey
from tka_registry.settings import Settings
from tka_registry.system.backup import (
    RestoreRefused,
    check_keys_open,
    open_backup,
    restore_backup,
    write_backup,
)
from tka_registry.system.installation import migrate_installation
from tka_registry.system.observability import logging_config


def register(subparsers: Subparsers) -> None:
    command = subparsers.add_parser(
        "migrate", help="apply pending database migrations and move older files into the database"
    )
    command.set_defaults(handler=run_migrate)
    command = subparsers.add_parser("serve", help="apply migrations, then serve HTTP")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on")
    command.add_argument("--port", type=int, default=8000, help="port to listen on")
    command.add_argument("--workers", type=int, default=1, help="server processes")
    command.set_defaults(handler=run_serve)
    command = subparsers.add_parser(
        "backup", help="write a consistent snapshot (files and keys included) while serving"
    )
    command.add_argument("file", type=Path, help="the backup file to write")
    command.set_defaults(handler=run_backup)
    command = subparsers.add_parser(
        "restore", help="restore a backup into an empty database (either engine)"
    )
    command.add_argument("file", type=Path, help="the backup file to read")
    command.set_defaults(handler=run_restore)


def _prepare(settings: Settings, *, check_keys: bool) -> list[str]:
    """Migrate the installation; with ``check_keys`` also make sure a usable signing key is
    there (raises :class:`SigningKeyRefused`)."""

    async def main() -> list[str]:
        engine = engine_for(settings.database_url)
        await open_database(engine, pool_size=1)
        try:
            done = await migrate_installation(engine, settings)
            if check_keys:
                await ensure_signing_key(settings)
            return done
        finally:
            await close_database(engine)

    return asyncio.run(main())


def run_migrate(arguments: argparse.Namespace, settings: Settings) -> int:
    done = _prepare(settings, check_keys=False)
    applied = [line for line in done if line.startswith("applied migration")]
    print(f"applied {len(applied)} migration(s)")
    for line in done:
        print(line)
    return 0


def run_serve(arguments: argparse.Namespace, settings: Settings) -> int:
    config = logging_config(settings)
    if config is not None:  # JSON logs: the start-up lines are JSON too
        logging.config.dictConfig(config)
    say = print if config is None else logging.getLogger("tka_registry.serve").info
    try:
        for line in _prepare(settings, check_keys=True):
            say(line)
    except SigningKeyRefused as refused:
        return fail(f"not starting: {refused}")
    if arguments.workers > 1 and settings.is_sqlite:
        say("note: several workers on SQLite serialise their writes; use PostgreSQL to scale")
    say(f"TKA Registry on http://{arguments.host}:{arguments.port} ({settings.database_url})")
    with metrics_folder(settings):
        _serve(arguments, settings)
    return 0


@contextlib.contextmanager
def metrics_folder(settings: Settings) -> Iterator[None]:
    """With metrics on, a fresh ``PROMETHEUS_MULTIPROC_DIR`` where every worker keeps its
    counts (system/metrics.py says why), set before any worker imports prometheus-client; an
    operator's own folder is emptied instead (stale files would add old counts)."""
    if not settings.metrics_token:
        yield
        return
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield
        return
    with tempfile.TemporaryDirectory(prefix="tka-metrics-") as folder:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        try:
            yield
        finally:
            del os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _serve(arguments: argparse.Namespace, settings: Settings) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    uvicorn.run(
        "tka_registry.app:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        proxy_headers=False,
        log_level="info",
        log_config=logging_config(settings) or LOGGING_CONFIG,
        access_log=settings.log_format != "json",  # the JSON request lines replace it
        # A worker still importing on a busy machine is not hung: uvicorn's 5 s default kills
        # and restarts it again and again.
        timeout_worker_healthcheck=60,
    )


def run_backup(arguments: argparse.Namespace, settings: Settings) -> int:
    passphrase = os.environ.get("TKA_BACKUP_PASSPHRASE", "")

    async def work() -> int:
        engine = SigningKey._meta.db
        summary = await write_backup(engine, arguments.file, passphrase)
        total = sum(summary.rows.values())
        sealed = "sealed with TKA_BACKUP_PASSPHRASE" if summary.sealed else "not sealed"
        print(f"wrote {arguments.file}: {total} rows in {len(summary.rows)} tables ({sealed})")
        return 0

    return run_with_database(settings, work, apply_migrations=False)


def run_restore(arguments: argparse.Namespace, settings: Settings) -> int:
    passphrase = os.environ.get("TKA_BACKUP_PASSPHRASE", "")
    if not arguments.file.is_file():
        return fail(f"no backup file {arguments.file}")

    async def work() -> int:
        with tempfile.TemporaryDirectory(prefix="tka-restore-") as folder:
            try:
                with open_backup(arguments.file, passphrase, Path(folder)) as archive:
                    check_keys_open(archive, settings.secret_key)
                    restored = await restore_backup(SigningKey._meta.db, archive)
            except (RestoreRefused, SigningKeyRefused) as refused:
                return fail(f"restore refused, nothing changed: {refused}")
        for name, count in restored.items():
            print(f"{name}: {count} rows")
        print("restored; check it with: tka-registry audit verify")
        return 0

    return run_with_database(settings, work)
