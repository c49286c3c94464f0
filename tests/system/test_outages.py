"""Outages answer 503 with Retry-After and recover by themselves (issue 16): PostgreSQL
stopped and frozen (a private cluster on its own port), storage full (a small tmpfs under a
SQLite registry) and storage turned read-only by the kernel after a disk error (a small ext4 on a
loop device; a plain read-only remount is refused while the database file is open). Real
``serve`` processes throughout."""

from __future__ import annotations

import asyncio
import errno
import re
import sqlite3
import time
from pathlib import Path

import httpx

from tests.factories import PASSWORD, employer_body
from tests.system.clusters import ext4_disk, private_cluster, small_filesystem
from tests.system.serving import serving, tka, tka_env
from tka_registry.system.outages import Outage, outage_of

OFFICER = "petugas@outage.test"
TRACK = {"register_number": "REG-2026-000001", "passport_number": "E12345678"}
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def _track(http: httpx.AsyncClient) -> httpx.Response:
    """Post the public /track form (its GET shows the form without reading the database)."""
    form = await http.get("/track")
    token = CSRF_FIELD.search(form.text)
    assert token, form.text
    return await http.post("/track", data={**TRACK, "_csrf_token": token.group(1)})


def _with_officer(env: dict[str, str]) -> None:
    made = tka(env, "users", "create", "--email", OFFICER, "--role", "officer",
               "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr


async def _bearer(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post("/api/v1/auth/token", json={"email": OFFICER, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _health_within_2_s(http: httpx.AsyncClient) -> httpx.Response:
    start = time.monotonic()
    response = await http.get("/health")
    assert time.monotonic() - start < 2.5, "health took longer than 2 s"  # 0.5 s for the client
    return response


async def _until_ok(http: httpx.AsyncClient, headers: dict[str, str], seconds: float = 30) -> float:
    """Seconds until the worker list answers 200 again."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if (await http.get("/api/v1/workers", headers=headers)).status_code == 200:
            return time.monotonic() - start
        await asyncio.sleep(0.25)
    raise AssertionError(f"the registry did not recover within {seconds} s")


def _assert_unavailable(response: httpx.Response, outage: str) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["errors"][0]["field"] == outage


async def test_postgresql_stopped_or_frozen_answers_503_and_recovers(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with private_cluster() as cluster:
        env = tka_env(
            cluster.url, tmp_path / "data",
            TKA_DB_STATEMENT_TIMEOUT_MS="1000", TKA_DB_ACQUIRE_TIMEOUT_MS="1000",
        )  # fmt: skip
        _with_officer(env)
        with serving(env, log=log) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                officer = await _bearer(http)
                assert (await http.get("/api/v1/workers", headers=officer)).status_code == 200

                cluster.stop()
                answers = [await http.get("/api/v1/workers", headers=officer) for _ in range(30)]
                for answer in answers:
                    _assert_unavailable(answer, "database")
                page = await _track(http)
                assert page.status_code == 503 and "retry-after" in page.headers
                assert "Layanan sedang tidak tersedia" in page.text
                http.cookies.set("tka_lang", "en")
                english = await _track(http)
                http.cookies.delete("tka_lang")
                assert "The service is unavailable for a moment" in english.text
                health = await _health_within_2_s(http)
                assert health.status_code == 503 and health.json()["database"] != "ok"
                cluster.start()
                await _until_ok(http, officer)

                frozen = cluster.freeze()
                try:
                    start = time.monotonic()
                    _assert_unavailable(
                        await http.get("/api/v1/workers", headers=officer), "database"
                    )
                    assert time.monotonic() - start < 6  # statement and acquire timeouts
                    health = await _health_within_2_s(http)
                    assert health.status_code == 503 and health.json()["database"] == "timeout"
                finally:
                    cluster.thaw(frozen)
                await _until_ok(http, officer)
    text = log.read_text()
    # Dozens of failed requests, one logged error (with its traceback) per kind only.
    assert 1 <= text.count("answering 503") <= 6, text[-4000:]
    assert "Internal Server Error" not in text and " 500" not in text


async def test_full_storage_answers_503_and_recovers(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with small_filesystem(tmp_path / "disk") as disk:
        env = tka_env(f"sqlite:///{disk / 'registry.sqlite3'}", disk)
        _with_officer(env)
        with serving(env, log=log) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                officer = await _bearer(http)
                employer = {
                    "name": "PT Disk Penuh", "nib": "9120000000009", "npwp": "013000666091000",
                    "address": "Jl. Mayor Zen 1", "regency": "Kota Palembang",
                    "sector": "fertiliser", "email": "hrd@penuh.co.id", "phone": "0711-1",
                }  # fmt: skip
                filler = disk / "filler"
                with filler.open("wb") as out:  # fill the disk to its last byte
                    try:
                        while True:
                            out.write(b"\0" * 65536)
                            out.flush()
                    except OSError:
                        pass
                # Writes that need room: enough new rows that the database must grow.
                answers = []
                for n in range(40):
                    body = employer | {"name": f"PT Disk Penuh {n}", "nib": f"91200000{n:05d}"}
                    answers.append(await http.post("/api/v1/employers", json=body, headers=officer))
                statuses = {answer.status_code for answer in answers}
                assert statuses <= {201, 503} and 503 in statuses, statuses
                _assert_unavailable(next(a for a in answers if a.status_code == 503), "storage")
                health = await _health_within_2_s(http)
                assert health.status_code == 503 and health.json()["storage"]["state"] == "full"
                filler.unlink()
                created = await http.post(
                    "/api/v1/employers", json=employer | {"nib": "9120000099999"}, headers=officer
                )
                assert created.status_code == 201, created.text

                await _until_ok(http, officer)
    text = log.read_text()
    assert "Internal Server Error" not in text and " 500" not in text


async def test_storage_turned_read_only_answers_503_and_health_says_so(tmp_path: Path) -> None:
    """The data disk under a SQLite registry fails and the kernel makes it read-only (ext4
    ``errors=remount-ro``): writes answer 503, never 500, and /health names the storage. It
    stays read-only until an operator unmounts and checks it, so no recovery is expected."""
    log = tmp_path / "serve.log"
    with ext4_disk(tmp_path / "disk") as disk:
        env = tka_env(f"sqlite:///{disk.folder / 'registry.sqlite3'}", disk.folder)
        _with_officer(env)
        with serving(env, log=log) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                officer = await _bearer(http)
                before = await http.post(
                    "/api/v1/employers", json=employer_body(0), headers=officer
                )
                assert before.status_code == 201, before.text
                assert (await _health_within_2_s(http)).json()["storage"]["state"] == "ok"

                disk.fail_read_only()
                changed = f"/api/v1/employers/{before.json()['id']}"
                for n in range(5):
                    body = {"address": f"Jl. Mayor Zen No. {n + 2}, Palembang"}
                    answer = await http.patch(changed, json=body, headers=officer)
                    _assert_unavailable(answer, "storage")
                health = await _health_within_2_s(http)
                assert health.status_code == 503, health.text
                assert health.json()["storage"]["state"] == "read-only"
                assert health.json()["storage"]["writable"] is False
    text = log.read_text()
    assert "Internal Server Error" not in text and " 500" not in text


def test_read_only_and_full_storage_errors_are_outages() -> None:
    for words in ("attempt to write a readonly database", "database or disk is full"):
        assert outage_of(sqlite3.OperationalError(words)) == Outage.STORAGE
    assert outage_of(OSError(errno.EROFS, "Read-only file system")) == Outage.STORAGE
    assert outage_of(OSError(errno.ENOSPC, "No space left on device")) == Outage.STORAGE
    assert outage_of(sqlite3.OperationalError("no such table: x")) is None
    assert outage_of(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) == Outage.DATABASE
    assert outage_of(ValueError("a bug")) is None
