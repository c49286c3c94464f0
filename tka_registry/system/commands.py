"""``migrate`` and ``serve``."""

from __future__ import annotations

import argparse
import asyncio

from tka_registry.cli import Subparsers, run_with_database
from tka_registry.db import close_database, engine_for, migrate, open_database
from tka_registry.settings import Settings


def register(subparsers: Subparsers) -> None:
    command = subparsers.add_parser("migrate", help="apply pending database migrations")
    command.set_defaults(handler=run_migrate)
    command = subparsers.add_parser("serve", help="apply migrations, then serve HTTP")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on")
    command.add_argument("--port", type=int, default=8000, help="port to listen on")
    command.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL)")
    command.set_defaults(handler=run_serve)


def run_migrate(arguments: argparse.Namespace, settings: Settings) -> int:
    async def main() -> int:
        engine = engine_for(settings.database_url)
        await open_database(engine, pool_size=1)
        try:
            applied = await migrate(engine)
        finally:
            await close_database(engine)
        print(
            f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else "")
        )
        return 0

    return asyncio.run(main())


def run_serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    async def nothing() -> int:
        return 0

    run_with_database(settings, nothing)
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
