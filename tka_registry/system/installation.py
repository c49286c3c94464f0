"""Bringing an installation up to date: migrations, then what older versions kept on disk.

``migrate`` and ``serve`` both run :func:`migrate_installation`; every step is idempotent, so
running it on each start, on every host, is safe.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine

from tka_registry.db import migrate
from tka_registry.documents.keys import import_key_file
from tka_registry.settings import Settings


async def migrate_installation(engine: Engine[Any], settings: Settings) -> list[str]:
    """Apply pending migrations and move files kept under ``TKA_DATA_DIR`` into the database;
    answers one line per thing done."""
    done = [f"applied migration {name}" for name in await migrate(engine)]
    kid = await import_key_file(settings)
    if kid is not None:
        done.append(f"imported signing key {kid} from {settings.data_dir / 'keys'}")
    return done
