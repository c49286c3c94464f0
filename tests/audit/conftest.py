"""Helpers for the audit tests: run the real ``tka-registry`` command against the test database."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass

import pytest

from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.audit.tables import AuditEntry


@dataclass(frozen=True)
class Run:
    code: int
    output: str


async def tka_registry_command(database_url: str, *arguments: str) -> Run:
    """Run ``python -m tka_registry.cli ARGUMENTS`` on ``database_url``."""
    environment = os.environ | {"TKA_DATABASE_URL": database_url, "TKA_SECRET_KEY": "test-secret"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tka_registry.cli",
        *arguments,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return Run(process.returncode or 0, output.decode())


async def entry_ids() -> dict[int, int]:
    """Entry id by sequence."""
    rows = await AuditEntry.select(AuditEntry.id, AuditEntry.sequence)
    return {row["sequence"]: row["id"] for row in rows}


@pytest.fixture
async def five_entries(db: str) -> dict[int, int]:
    """Five chained entries; answers entry id by sequence."""
    clerk = Actor(7, "petugas@imigrasi.test", "officer", None, "10.0.0.7")
    for number in range(1, 6):
        await record(
            clerk, "worker.update", "worker", number, {"after": {"alamat": f"Jl. {number}"}}
        )
    return await entry_ids()
