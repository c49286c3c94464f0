"""``tka-registry documents render --all`` renders and stores what lacks a current document."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import NOW
from tka_registry.demo.generate import load_demo_data
from tka_registry.documents.render import TEMPLATE_VERSION
from tka_registry.documents.tables import StoredDocument
from tka_registry.permits.tables import Permit
from tka_registry.storage.blobs import get_blob


def run_cli(database_url: str, data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"TKA_DATABASE_URL": database_url, "TKA_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "tka_registry.cli", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
async def test_render_all_renders_missing_documents_in_parallel(db: str, data_dir: Path) -> None:
    await load_demo_data(workers=5, seed=7, today=date(2026, 11, 22), now=NOW, with_accounts=False)
    permits = await Permit.select(Permit.id).order_by(Permit.id)
    assert len(permits) >= 5
    lacking = permits[0]["id"]  # one permit without its visa index
    await Permit.raw("UPDATE permit SET visa_index = '' WHERE id = {}", lacking)

    result = run_cli(db, data_dir, "documents", "render", "--all", "--processes", "2")
    assert result.returncode == 0, result.stderr
    rendered = len(permits) - 1
    assert f"rendered {rendered} documents" in result.stdout
    assert "documents/s" in result.stdout and "1 skipped" in result.stdout
    assert f"permit {lacking}: lacks permit.visa_index" in result.stderr
    assert f"{rendered}/{rendered}" in result.stderr  # the progress bar's last state

    rows = await StoredDocument.select().where(StoredDocument.is_current.eq(True))
    assert sorted(row["permit"] for row in rows) == [p["id"] for p in permits[1:]]
    assert {row["template_version"] for row in rows} == {TEMPLATE_VERSION}
    for row in rows:
        assert (await get_blob(row["sha256"])).startswith(b"%PDF-")

    again = run_cli(db, data_dir, "documents", "render", "--all", "--processes", "1")
    assert again.returncode == 0, again.stderr
    assert "rendered 0 documents" in again.stdout  # nothing lacks a current document now
