"""``backup`` while the registry serves, ``restore`` into an empty database of either engine:
the audit chain verifies, stored documents come back byte-identical, printed QR codes still
verify; a non-empty database and a wrong passphrase are refused (issue 16)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.conftest import ENGINE, _drop_postgres_database, _postgres_database
from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import account, bearer, created, worker_body
from tests.system.serving import serving, tka, tka_env
from tka_registry.settings import Settings
from tka_registry.storage.tables import FileBlob

PASSPHRASE = "kata sandi cadangan yang panjang"


@contextlib.asynccontextmanager
async def other_engine_database(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on the engine the session does not use: a restore crosses engines."""
    if ENGINE == "postgres":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    url = await _postgres_database()
    try:
        yield url
    finally:
        await _drop_postgres_database(url)


async def _writes_meanwhile(
    client: httpx.AsyncClient, officer: dict[str, str], employer_id: int, stop: asyncio.Event
) -> int:
    """Keep registering workers (each with its audit entry) until ``stop``; answers how many."""
    count = 0
    while not stop.is_set():
        await created(client, "/api/v1/workers", worker_body(employer_id), officer)
        count += 1
    return count


async def test_backup_while_serving_restores_on_the_other_engine(
    client: httpx.AsyncClient, db: str, settings: Settings, tmp_path: Path
) -> None:
    email = await account("officer")
    officer = await bearer(client, email)
    employer, permit, _ = await sponsor_with_permit(client, officer)
    original = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert original.status_code == 200
    (url,) = decode_qr(original.content, tmp_path)

    source = tka_env(db, tmp_path / "source", TKA_BACKUP_PASSPHRASE=PASSPHRASE)
    backup_file = tmp_path / "registry.backup"
    stop = asyncio.Event()
    writer = asyncio.create_task(_writes_meanwhile(client, officer, employer["id"], stop))
    taken = await asyncio.to_thread(tka, source, "backup", str(backup_file))
    stop.set()
    assert await writer > 0
    assert taken.returncode == 0, taken.stderr
    assert "sealed with TKA_BACKUP_PASSPHRASE" in taken.stdout
    assert PASSPHRASE.encode() not in backup_file.read_bytes()
    assert b"%PDF" not in backup_file.read_bytes()  # sealed, not readable

    async with other_engine_database(tmp_path) as target_url:
        # The secret the registry's keys were wrapped with (the in-process app's).
        target = tka_env(
            target_url,
            tmp_path / "target",
            TKA_BACKUP_PASSPHRASE=PASSPHRASE,
            TKA_SECRET_KEY=settings.secret_key,
        )
        unsealed = target | {"TKA_BACKUP_PASSPHRASE": ""}
        refused = tka(unsealed, "restore", str(backup_file))
        assert refused.returncode == 2 and "set TKA_BACKUP_PASSPHRASE" in refused.stderr
        wrong = tka(target | {"TKA_BACKUP_PASSPHRASE": "salah"}, "restore", str(backup_file))
        assert wrong.returncode == 2 and "does not open" in wrong.stderr
        other_secret = target | {"TKA_SECRET_KEY": "another secret"}
        keys = tka(other_secret, "restore", str(backup_file))
        assert keys.returncode == 2 and "TKA_SECRET_KEY" in keys.stderr

        restored = tka(target, "restore", str(backup_file))
        assert restored.returncode == 0, restored.stderr
        assert "audit_entry:" in restored.stdout and "file_blob:" in restored.stdout
        verified = tka(target, "audit", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        again = tka(target, "restore", str(backup_file))
        assert again.returncode == 2
        assert "empty database only" in again.stderr and "employer (" in again.stderr

        with serving(target) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
                officer_there = await bearer(http, email)  # the restored account
                document = await http.get(
                    f"/api/v1/permits/{permit['id']}/document", headers=officer_there
                )
                assert document.status_code == 200
                assert document.content == original.content  # byte-identical
                answer = await http.get("/api/v1" + urlsplit(url).path)
                assert answer.json()["outcome"] == "valid"
    assert await FileBlob.count() >= 1
