"""``migrate`` and ``serve``."""

from __future__ import annotations

import argparse
import asyncio

from tka_registry.cli import Subparsers, fail
from tka_registry.db import close_database, engine_for, open_database
from tka_registry.documents.keys import SigningKeyRefused, ensure_signing_key
from tka_registry.settings import Settings
from tka_registry.system.installation import migrate_installation


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
    import uvicorn

    try:
        for line in _prepare(settings, check_keys=True):
            print(line)
    except SigningKeyRefused as refused:
        return fail(f"not starting: {refused}")
    if arguments.workers > 1 and settings.is_sqlite:
        print("note: several workers on SQLite serialise their writes; use PostgreSQL to scale")
    print(f"TKA Registry on http://{arguments.host}:{arguments.port} ({settings.database_url})")
    uvicorn.run(
        "tka_registry.app:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        proxy_headers=False,
        log_level="info",
    )
    return 0
