"""Intelligence queries on 1,000,000 workers: HTTP next to the bare SQL, in one run.

    python bench/bench_intelligence.py                    # 1,000,000 workers on PostgreSQL
    python bench/bench_intelligence.py --workers 200000 --rounds 40
    python bench/bench_intelligence.py --keep        # keep the database; then --reuse NAME

Creates a throwaway PostgreSQL database beside ``TKA_BENCH_POSTGRES_URL`` (dropped at the end),
migrates it, fills it with INSERT ... SELECT generate_series (timed: the generator is part of
the benchmark), starts ``tka-registry serve`` on a free loopback port and measures:

- nationality statistics, a filtered list page (one nationality, one regency, 50 rows) and the
  overstay list through HTTP, median and p95, next to the exact statements each endpoint runs
  (captured from the app's query code) through asyncpg;
- the CSV export of about 100,000 rows: time and the server's resident memory, sampled during
  the download, next to a 10x smaller export (flat memory: the peak does not grow with rows);
- EXPLAIN (ANALYZE, BUFFERS) of each statement, to show which indexes serve it.

Targets (issue 6): page p95 < 50 ms, statistics < 300 ms, CSV of 100,000 rows < 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
# This checkout, not whichever copy of the package happens to be installed.
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from bench_workers import captured, free_port, summary, timings, tka  # noqa: E402

from tka_registry.intelligence import queries, stats  # noqa: E402
from tka_registry.workers.queries import WorkerFilters  # noqa: E402

POSTGRES = os.environ.get("TKA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "bench password 1"  # noqa: S105 (a throwaway database)
REGENCIES = (
    "Kota Palembang",
    "Kota Palembang",
    "Kota Palembang",
    "Kabupaten Banyuasin",
    "Kabupaten Musi Banyuasin",
    "Kabupaten Ogan Komering Ilir",
    "Kota Prabumulih",
    "Kabupaten Ogan Ilir",
)
# Shares per 100 after the 2024 national figures (China about 54 %), shared/domain.md.
NATIONALITY_SHARES = (
    ("CHN", 54),
    ("JPN", 10),
    ("KOR", 9),
    ("IND", 8),
    ("MYS", 6),
    ("PHL", 4),
    ("GBR", 3),
    ("TWN", 2),
    ("THA", 2),
    ("SGP", 2),
)
SECTORS = ("pulp and paper", "fertiliser", "power", "plantation", "mining", "education")
WORK_INDEXES = ("E23C", "E23B", "E23E", "E23F", "E23M", "E23L")


def _sql_array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]"


def generator_statements(workers: int, employers: int, today: date) -> list[str]:
    """INSERT ... SELECT generate_series statements for the whole registry.

    Worker g has passport g and current permit g. A multiplicative hash spreads nationality,
    regency and expiry independently of each other; 1 in 100 is a Second Home holder (E33, no
    sponsor), 1 in 200 has a revoked permit; expiries run from 60 days ago to 640 days ahead.
    """
    nationalities = tuple(code for code, share in NATIONALITY_SHARES for _ in range(share))
    day = f"DATE '{today.isoformat()}'"
    # Worker g's current permit: its last day, and whether it was revoked.
    expires = f"({day} - 60 + ((g::bigint * 6007) % 700)::int)"
    revoked = "g % 200 = 1"
    return [
        f"""INSERT INTO employer (id, name, nib, npwp, address, regency, sector, email, phone,
            created_at, updated_at)
        SELECT g, 'PT Bench ' || g, lpad(g::text, 13, '0'), lpad(g::text, 16, '0'), 'Jl. Bench',
            ({_sql_array(REGENCIES)})[1 + g % {len(REGENCIES)}],
            ({_sql_array(SECTORS)})[1 + g % {len(SECTORS)}], '', '', now(), now()
        FROM generate_series(1, {employers}) g""",
        f"""INSERT INTO worker (id, full_name, name_folded, sex, date_of_birth, place_of_birth,
            nationality, address, regency, position, employer, current_permit_id,
            permit_valid_from, permit_valid_until, created_at, updated_at)
        SELECT g, 'Worker ' || g, 'worker ' || g, CASE WHEN g % 5 = 0 THEN 'F' ELSE 'M' END,
            DATE '1970-01-01' + (g % 12000), 'Place', ({_sql_array(nationalities)})[1 + ((g::bigint * 7919) % 100)::int],
            'Jl. Bench', ({_sql_array(REGENCIES)})[1 + (((g::bigint * 104729) / 7) % {len(REGENCIES)})::int],
            'Engineer', CASE WHEN g % 100 = 0 THEN NULL ELSE 1 + (g * 31) % {employers} END,
            g, CASE WHEN {revoked} THEN NULL ELSE {expires} - 365 END,
            CASE WHEN {revoked} THEN NULL ELSE {expires} END, now(), now()
        FROM generate_series(1, {workers}) g""",
        f"""INSERT INTO passport (id, worker, number, issuing_country, issued_on, expires_on,
            created_at)
        SELECT g, g, 'P' || g, 'CHN', DATE '2023-01-01', DATE '2033-01-01', now()
        FROM generate_series(1, {workers}) g""",
        f"""INSERT INTO permit (id, worker, kind, visa_index, number, issued_on, valid_from, expires_on,
            employer, supersedes, is_current, revoked_on, revocation_reason, register_number,
            created_at)
        SELECT g, g, 'ITAS',
            CASE WHEN g % 100 = 0 THEN 'E33'
                 ELSE ({_sql_array(WORK_INDEXES)})[1 + g % {len(WORK_INDEXES)}] END,
            'ITAS' || g, e - 365, e - 365, e,
            CASE WHEN g % 100 = 0 THEN NULL ELSE 1 + (g * 31) % {employers} END,
            NULL, TRUE, CASE WHEN {revoked} THEN e - 100 ELSE NULL END,
            CASE WHEN {revoked} THEN 'bench' ELSE NULL END, NULL, now()
        FROM (SELECT g, {expires} AS e FROM generate_series(1, {workers}) g) s""",
        "SELECT setval('employer_id_seq', (SELECT max(id) FROM employer))",
        "SELECT setval('worker_id_seq', (SELECT max(id) FROM worker))",
        "SELECT setval('passport_id_seq', (SELECT max(id) FROM passport))",
        "SELECT setval('permit_id_seq', (SELECT max(id) FROM permit))",
        "VACUUM ANALYZE",
    ]


async def generate(url: str, workers: int, employers: int, today: date) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in generator_statements(workers, employers, today):
            started = time.perf_counter()
            await connection.execute(statement)
            label = " ".join(statement.split()[:3])
            print(f"  {label:<40} {time.perf_counter() - started:6.1f} s")
        # The statistics count the worker's copy of its current permit: it must agree.
        drifted = await connection.fetchval(
            "SELECT count(*) FROM worker w LEFT JOIN permit p ON p.id = w.current_permit_id"
            " WHERE w.permit_valid_until IS DISTINCT FROM"
            " (CASE WHEN p.is_current AND p.revoked_on IS NULL THEN p.expires_on END)"
        )
        if drifted:
            raise RuntimeError(f"{drifted} workers' permit_valid_until disagrees with permits")
    finally:
        await connection.close()


async def explain(url: str, name: str, statements: list[tuple[str, list[Any]]]) -> None:
    connection = await asyncpg.connect(url)
    try:
        for sql, args in statements:
            plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
            print(f"  EXPLAIN [{name}] " + " ".join(sql.split())[:90] + " ...")
            for row in plan:
                print("    " + row[0])
    finally:
        await connection.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def csv_export(
    http: httpx.AsyncClient, headers: dict[str, str], path: str, server_pid: int
) -> tuple[int, float, int, int]:
    """Download ``path`` chunk by chunk (nothing kept); rows, seconds, RSS before and peak."""
    before = rss_kib(server_pid)
    peak, newlines = before, 0
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(server_pid))
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    async with http.stream("GET", path, headers=headers) as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            newlines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    done.set()
    await sampler
    return newlines - 1, seconds, before, peak


async def wait_ready(http: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await http.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def compare(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    pool: asyncpg.Pool,
    name: str,
    path: str,
    statements: list[tuple[str, list[Any]]],
    rounds: int,
) -> tuple[float, float]:
    async def over_http() -> None:
        (await http.get(path, headers=headers)).raise_for_status()

    async def bare() -> None:
        async with pool.acquire() as connection:
            for sql, args in statements:
                await connection.fetch(sql, *args)

    http_samples: list[float] = []
    bare_samples: list[float] = []
    for _ in range(5):  # interleaved, so both see the same machine load
        http_samples += await timings(over_http, max(1, rounds // 5))
        bare_samples += await timings(bare, max(1, rounds // 5))
    print(f" {name}: GET {path}")
    bare_median, _ = summary("bare SQL through asyncpg", bare_samples)
    http_median, http_p95 = summary("HTTP (with its audit entry)", http_samples)
    print(f"  ratio HTTP/bare median: {http_median / bare_median:.2f}x")
    return http_median, http_p95


def create_account(env: dict[str, str]) -> None:
    """The intelligence account the benchmark signs in with."""
    tka(
        env,
        *("users", "create", "--email", "intel@bench.test", "--role", "intelligence"),
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )


async def main(
    workers: int, employers: int, rounds: int, keep: bool = False, reuse: str | None = None
) -> None:
    """Generate (or ``reuse`` a database kept by an earlier ``--keep`` run), then measure."""
    name = reuse or f"tka_bench_{uuid.uuid4().hex[:8]}"
    if reuse is None:
        admin = await asyncpg.connect(POSTGRES)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TKA_DATABASE_URL": url,
        "TKA_SECRET_KEY": "bench",
        "TKA_DATA_DIR": tempfile.mkdtemp(prefix="tka-bench-"),
    }
    server = None
    try:
        today = date.today()
        print(f"database {name}: {workers:,} workers, {employers} employers, today {today}")
        tka(env, "migrate")
        if reuse is None:
            started = time.perf_counter()
            await generate(url, workers, employers, today)
            print(f"  generated in {time.perf_counter() - started:.1f} s")
            create_account(env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tka_registry.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        await run_measurements(url, port, server.pid, today, rounds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if keep:
            print(f'kept {name}: DROP DATABASE "{name}" when done')
        else:
            admin = await asyncpg.connect(POSTGRES)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
            print(f"dropped {name}")


async def run_measurements(url: str, port: int, pid: int, today: date, rounds: int) -> None:
    one = WorkerFilters(nationalities=("JPN",), regency="Kota Prabumulih")
    captures = {
        "stats": await captured(
            url, lambda a, s: stats.by_nationality(a, WorkerFilters(), today=today, settings=s)
        ),
        "page": await captured(
            url,
            lambda a, s: queries.search(
                a, one, sort="name", limit=50, offset=0, today=today, settings=s
            ),
        ),
        "overstays": await captured(
            url,
            lambda a, s: queries.overstays(
                a, WorkerFilters(), limit=50, offset=0, today=today, settings=s
            ),
        ),
    }
    paths = {
        "stats": "/api/v1/stats/nationalities",
        "page": "/api/v1/intelligence/workers?nationality=JPN&regency=Kota%20Prabumulih&limit=50",
        "overstays": "/api/v1/intelligence/overstays?limit=50",
    }
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
        await wait_ready(http)
        token = (
            await http.post(
                "/api/v1/auth/token", json={"email": "intel@bench.test", "password": PASSWORD}
            )
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        results = {}
        for key, path in paths.items():
            results[key] = await compare(http, headers, pool, key, path, captures[key], rounds)
        print(" CSV export (streamed; server RSS sampled every 20 ms)")
        for label, path in (
            (
                "~20,000 rows (TWN+THA)",
                "/api/v1/intelligence/exports/workers.csv?nationality=TWN,THA",
            ),
            ("~100,000 rows (JPN)", "/api/v1/intelligence/exports/workers.csv?nationality=JPN"),
        ):
            rows, seconds, before, peak = await csv_export(http, headers, path, pid)
            print(
                f"  {label:<24} {rows:>7,} rows in {seconds:6.2f} s;"
                f" server RSS {before / 1024:6.1f} MiB before, peak {peak / 1024:6.1f} MiB"
                f" (+{(peak - before) / 1024:.1f} MiB)"
            )
    await pool.close()
    print(" targets")
    print(f"  page p95 {results['page'][1]:.1f} ms (< 50 ms)")
    print(
        f"  stats median {results['stats'][0]:.1f} ms, p95 {results['stats'][1]:.1f} ms (< 300 ms)"
    )
    for key, statements in captures.items():
        await explain(url, key, statements)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--employers", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (to EXPLAIN by hand); drop it later"
    )
    parser.add_argument("--reuse", metavar="DATABASE", help="measure a database kept by --keep")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    asyncio.run(
        main(options.workers, options.employers, options.rounds, options.keep, options.reuse)
    )
