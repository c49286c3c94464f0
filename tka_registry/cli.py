"""The ``tka-registry`` command. Each business area adds its subcommands in ``commands.py``."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tka_registry.db import close_database, engine_for, migrate, open_database
from tka_registry.listeners import connect_areas
from tka_registry.security.private_files import keep_files_private
from tka_registry.settings import Settings, load_settings

# Modules with ``register(subparsers)``: one line per business area.
COMMAND_MODULES = [
    "tka_registry.system.commands",
    "tka_registry.accounts.commands",
    "tka_registry.demo.commands",
    "tka_registry.audit.commands",
    "tka_registry.documents.commands",
    "tka_registry.alerts.commands",
    "tka_registry.notifications.commands",
    "tka_registry.spreadsheets.commands",
]


def run_with_database(
    settings: Settings, work: Callable[[], Awaitable[int]], *, apply_migrations: bool = True
) -> int:
    """Open the database (migrating it first), run ``work``, close; answers the exit code."""

    connect_areas()

    async def main() -> int:
        engine = engine_for(settings.database_url)
        await open_database(engine, pool_size=4)
        try:
            if apply_migrations:
                await migrate(engine)
            return await work()
        finally:
            await close_database(engine)

    return asyncio.run(main())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tka-registry",
        description="Registry of foreign workers (TKA) and stay permits, "
        "Kantor Imigrasi Kelas I TPI Palembang.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    keep_files_private()  # the database, exports and keys it writes are the user's alone
    arguments = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, Settings], int] = arguments.handler
    try:
        settings = load_settings()
    except ValueError as error:  # a setting that makes no sense: say which, no traceback
        return fail(str(error))
    try:
        return handler(arguments, settings)
    except KeyboardInterrupt:
        return 130


def fail(message: str) -> int:
    print(f"tka-registry: {message}", file=sys.stderr)
    return 2


Subparsers = Any  # argparse's private _SubParsersAction

if __name__ == "__main__":
    sys.exit(main())
