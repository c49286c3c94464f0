"""The registry under a mixed load with one and two server processes on PostgreSQL, and stored
document downloads from the database against the same bytes from disk, in one run.

    PYTHONPATH=. python bench/bench_operations.py [--seconds 20] [--clients 32]

Makes a throwaway PostgreSQL database (``TKA_BENCH_POSTGRES_URL``, default the machine's
``test`` database's server), loads demo workers with the CLI and starts real ``tka-registry
serve --workers N`` processes. Each load runs ``--clients`` concurrent clients for
``--seconds``: first ``GET /health`` (the floor: the server's own cost per request), then the
mixed load, 70 % reads (a filtered worker list, one worker) and 30 % writes (a worker's address
changed, each write audited). Errors are answers of 5xx or none at all.

Downloads: one permit's stored document, timed round-robin: the bare file read (floor), the
blob read from the database in-process (``read_document``: blob + SHA-256 check), the same
bytes from disk served by a bare Litestar app under uvicorn, and the registry's
``GET /api/v1/permits/{id}/document`` (token, audit read, blob, SHA-256 check).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from bench_workers import create_database, drop_database, free_port, tka  # bench/ on the path
from litestar import Litestar, get
from litestar.response import File

PASSWORD = "musi river 1962 load"  # noqa: S105 (a throwaway database)


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer")


@contextlib.contextmanager
def started(command: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(probe, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving(env: dict[str, str], workers: int) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "tka_registry.cli", "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    with started(command, env, f"{base_url}/health"):
        yield base_url


# --- the mixed load ----------------------------------------------------------------------------


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        ordered = sorted(self.latencies_ms)
        p50 = statistics.median(ordered)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"{self.rate:7.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                f"errors {sum(self.errors.values())} of {len(ordered)} {dict(self.errors) or ''}")  # fmt: skip

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run_load(
    base_url: str, officer: dict[str, str], worker_ids: list[int], clients: int, seconds: float,
    *, mixed: bool,
) -> Load:  # fmt: skip
    load = Load()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as http:

        async def client(number: int, deadline: float) -> None:
            chance = random.Random(number)
            while time.perf_counter() < deadline:
                worker = chance.choice(worker_ids)
                pick = chance.random() if mixed else -1.0
                started = time.perf_counter()
                try:
                    if pick < 0:
                        answer = await http.get("/health")
                    elif pick < 0.30:
                        body = {"address": f"Jl. Kapten Rivai No. {chance.randint(1, 999)}"}
                        answer = await http.patch(
                            f"/api/v1/workers/{worker}", json=body, headers=officer
                        )
                    elif pick < 0.65:
                        answer = await http.get(
                            "/api/v1/workers?nationality=CHN&limit=50", headers=officer
                        )
                    else:
                        answer = await http.get(f"/api/v1/workers/{worker}", headers=officer)
                    if answer.status_code >= 500:
                        load.errors[f"{answer.request.method} {answer.status_code}"] += 1
                except httpx.HTTPError as error:
                    load.errors[type(error).__name__] += 1
                load.latencies_ms.append((time.perf_counter() - started) * 1000)

        begin = time.perf_counter()
        await asyncio.gather(*(client(n, begin + seconds) for n in range(clients)))
        load.seconds = time.perf_counter() - begin
    return load


async def sign_in(base_url: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        body = {"email": "petugas@imigrasi.test", "password": PASSWORD}
        answer = await http.post("/api/v1/auth/token", json=body)
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def worker_ids(base_url: str, officer: dict[str, str]) -> list[int]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        answer = await http.get("/api/v1/workers?limit=200", headers=officer)
        return [item["id"] for item in answer.json()["items"]]


# --- downloads ---------------------------------------------------------------------------------


async def issue_permit(base_url: str, officer: dict[str, str]) -> int:
    """A permit issued through the API, so its document is rendered and stored."""
    from tka_registry.rules.calendar import jakarta_today, utc_now

    async with httpx.AsyncClient(base_url=base_url, timeout=120, headers=officer) as http:
        employer = {
            "name": "PT Pupuk Sriwidjaja Palembang", "nib": "9120000000001",
            "npwp": "013000666091000", "address": "Jl. Mayor Zen, Palembang",
            "regency": "Kota Palembang", "sector": "fertiliser",
        }  # fmt: skip
        employer_id = (await http.post("/api/v1/employers", json=employer)).json()["id"]
        worker = {
            "full_name": "Zhang Wei", "sex": "M", "date_of_birth": "1985-03-04",
            "place_of_birth": "Wuhan", "nationality": "CHN", "address": "Jl. Sudirman 12",
            "regency": "Kota Palembang", "position": "Process Engineer", "employer_id": employer_id,
            "passport": {"number": "E12345678", "issuing_country": "CHN",
                         "issued_on": "2023-01-10", "expires_on": "2033-01-09"},
        }  # fmt: skip
        worker_id = (await http.post("/api/v1/workers", json=worker)).json()["id"]
        today = jakarta_today(utc_now())
        permit = {
            "worker_id": worker_id, "kind": "ITAS", "visa_index": "E23C", "number": "2C21AA0001",
            "issued_on": today.isoformat(), "expires_on": (today + timedelta(days=360)).isoformat(),
            "register_number": "REG-2026-999001",
        }  # fmt: skip
        answer = await http.post("/api/v1/permits", json=permit)
        answer.raise_for_status()
        return int(answer.json()["id"])


def disk_server(path: str, port: int) -> None:
    """A bare Litestar app serving one file from disk (the framework's own floor)."""
    import uvicorn

    @get("/file")
    async def file() -> File:
        return File(path, media_type="application/pdf")

    @get("/up")
    async def up() -> str:
        return "up"

    uvicorn.run(Litestar([file, up]), host="127.0.0.1", port=port, log_level="warning")


async def measure_downloads(
    url: str, env: dict[str, str], base_url: str, officer: dict[str, str], rounds: int, folder: Path
) -> dict[str, float]:
    from tka_registry.db import close_database, engine_for, open_database
    from tka_registry.documents import service

    permit_id = await issue_permit(base_url, officer)
    engine = engine_for(url)
    await open_database(engine, pool_size=2)
    stored = await service.current_document(kind="permit", permit_id=permit_id)
    assert stored is not None, "the issued permit has no stored document"
    content = await service.read_document(stored)
    path = folder / f"{stored.sha256}.pdf"
    path.write_bytes(content)
    port = free_port()
    command = [sys.executable, __file__, "--disk-server", str(path), str(port)]
    samples: dict[str, list[float]] = {
        "bare file read (floor)": [],
        "from the database in-process (blob + SHA-256)": [],
        "from disk through Litestar + uvicorn (HTTP)": [],
        "GET /api/v1/permits/{id}/document (HTTP)": [],
    }
    with started(command, env, f"http://127.0.0.1:{port}/up"):
        async with httpx.AsyncClient(timeout=60) as http:
            document = f"{base_url}/api/v1/permits/{permit_id}/document"
            for round_number in range(rounds + 5):  # five to warm up
                for name, values in samples.items():
                    begin = time.perf_counter()
                    if name.startswith("bare"):
                        got = path.read_bytes()
                    elif name.startswith("from the database"):
                        got = await service.read_document(stored)
                    elif name.startswith("from disk"):
                        got = (await http.get(f"http://127.0.0.1:{port}/file")).content
                    else:
                        got = (await http.get(document, headers=officer)).content
                    if round_number >= 5:
                        values.append((time.perf_counter() - begin) * 1000)
                    assert got == content, name
    await close_database(engine)
    print(f"  document: {len(content):,} bytes")
    return {name: statistics.median(values) for name, values in samples.items()}


# --- the run -----------------------------------------------------------------------------------


async def main(arguments: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tka-bench-operations-"))
    database, url = await create_database()
    settings = {"TKA_DATABASE_URL": url, "TKA_SECRET_KEY": "bench-operations"}
    env = os.environ | settings | {"TKA_DATA_DIR": str(folder)}
    try:
        tka(env, "demo-data", "--workers", str(arguments.workers), "--seed", "5")
        tka(env, "users", "create", "--email", "petugas@imigrasi.test", "--role", "officer",
            "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
        print(f"PostgreSQL, {arguments.workers} demo workers, {arguments.clients} clients, "
              f"{arguments.seconds:.0f} s per load (machine: {os.cpu_count()} cores)")  # fmt: skip
        loads: dict[int, tuple[Load, Load]] = {}
        for processes in (1, 2):
            with serving(env, processes) as base_url:
                officer = await sign_in(base_url)
                ids = await worker_ids(base_url, officer)
                await run_load(base_url, officer, ids, arguments.clients, 2, mixed=True)  # warm-up
                floor = await run_load(
                    base_url, officer, ids, arguments.clients, arguments.seconds, mixed=False
                )
                mixed = await run_load(
                    base_url, officer, ids, arguments.clients, arguments.seconds, mixed=True
                )
                loads[processes] = (floor, mixed)
                print(f"serve --workers {processes}")
                print(f"  GET /health (floor)  {floor.line()}")
                print(f"  mixed 70/30          {mixed.line()}")
                print(f"  mixed / floor        {mixed.rate / floor.rate:6.2f}x req/s")
                if processes == 1:
                    medians = await measure_downloads(
                        url, env, base_url, officer, arguments.rounds, folder
                    )
        (floor_1, mixed_1), (floor_2, mixed_2) = loads[1], loads[2]
        print("2 processes / 1 process")
        print(f"  floor req/s {floor_2.rate / floor_1.rate:5.2f}x   mixed req/s {mixed_2.rate / mixed_1.rate:5.2f}x   "
              f"mixed p50 {statistics.median(mixed_2.latencies_ms) / statistics.median(mixed_1.latencies_ms):5.2f}x   "
              f"mixed p99 {mixed_2.percentile(0.99) / mixed_1.percentile(0.99):5.2f}x")  # fmt: skip
        bare = medians["bare file read (floor)"]
        framework = medians["from disk through Litestar + uvicorn (HTTP)"]
        print(f"Downloads of one stored document (median of {arguments.rounds}, round-robin)")
        print(f"  {'':50} {'ms':>8} {'/ bare read':>12} {'/ Litestar from disk':>21}")
        for name, median in medians.items():
            print(f"  {name:<50} {median:8.3f} {median / bare:11.1f}x {median / framework:20.2f}x")
    finally:
        await drop_database(database)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--disk-server"]:
        disk_server(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=300, help="demo workers to load")
    parser.add_argument("--rounds", type=int, default=200, help="downloads of each kind")
    asyncio.run(main(parser.parse_args()))
