"""Prometheus metrics at ``/metrics`` (issue 16): only with ``TKA_METRICS_TOKEN``, per route
template, and summed over the workers of ``serve --workers 2``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import NOW
from tests.factories import account, bearer, employer_body
from tests.system.serving import serving, tka_env
from tka_registry.alerts.tables import AlertRun
from tka_registry.app import create_app
from tka_registry.audit.tables import AuditEntry
from tka_registry.settings import Settings

TOKEN = "metrics-test-token"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample ``name`` with ``labels`` in a scrape (0 when absent)."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0


@pytest.fixture
def app(db: str, settings: Settings) -> Litestar:
    return create_app(settings.with_overrides(metrics_token=TOKEN), clock=lambda: NOW)


async def test_metrics_answer_only_the_token(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.headers["content-type"].startswith("application/json")
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer guessed"})
    assert wrong.status_code == 403
    answer = await client.get("/metrics", headers=SCRAPER)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")


async def test_requests_are_counted_per_route_template(client: httpx.AsyncClient) -> None:
    officer = await bearer(client, await account("officer"))
    route = {"method": "GET", "route": "/api/v1/workers/{worker_id}", "status": "404"}
    before = (await client.get("/metrics", headers=SCRAPER)).text
    for worker_id in (9001, 9002, 9003):
        await client.get(f"/api/v1/workers/{worker_id}", headers=officer)
    employer = await client.post("/api/v1/employers", json=employer_body(), headers=officer)
    assert employer.status_code == 201, employer.text
    yesterday = NOW - timedelta(days=1)
    await AlertRun.insert(
        AlertRun(run_on=date(2026, 1, 5), claimed_by="a", started_at=yesterday, finished_at=NOW)
    )
    after = (await client.get("/metrics", headers=SCRAPER)).text

    counted = "tka_http_requests_total"
    assert sample(after, counted, **route) - sample(before, counted, **route) == 3
    assert sample(after, counted, route="/api/v1/workers/9001") == 0  # never the raw path
    timed = sample(after, "tka_http_request_duration_seconds_count", route=route["route"])
    assert timed - sample(before, "tka_http_request_duration_seconds_count", **route) == 3
    head = (
        await AuditEntry.select(AuditEntry.sequence)
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert head is not None
    assert sample(after, "tka_audit_chain_entries") == head["sequence"] > 0
    assert sample(after, "tka_alerts_last_run_finished_timestamp_seconds") == NOW.timestamp()
    assert sample(after, "tka_alerts_last_run_started_timestamp_seconds") == yesterday.timestamp()
    assert sample(after, "tka_database_up") == 1
    assert "tka_db_pool_connections_in_use" in after and "tka_db_pool_connections_open" in after


@pytest.fixture
async def without_token(db: str, settings: Settings) -> AsyncIterator[Litestar]:
    yield create_app(settings, clock=lambda: NOW)


async def test_without_the_setting_there_are_no_metrics(without_token: Litestar) -> None:
    transport = httpx.ASGITransport(app=without_token)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.get("/metrics", headers=SCRAPER)
    assert answer.status_code == 404


async def test_two_workers_report_one_sum(db: str, tmp_path: Path) -> None:
    """Whichever worker answers a scrape, it reports every worker's requests (multiprocess)."""
    env = tka_env(db, tmp_path / "data", TKA_METRICS_TOKEN=TOKEN)
    health = {"method": "GET", "route": "/health", "status": "200"}
    fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection for each request,
    with serving(env, "--workers", "2") as base_url:  # which the kernel spreads over both
        async with httpx.AsyncClient(base_url=base_url, limits=fresh, timeout=30) as http:
            first = (await http.get("/metrics", headers=SCRAPER)).text
            for _ in range(40):
                assert (await http.get("/health")).status_code == 200
            scrapes = [(await http.get("/metrics", headers=SCRAPER)).text for _ in range(8)]
    start = sample(first, "tka_http_requests_total", **health)
    counts = {sample(text, "tka_http_requests_total", **health) for text in scrapes}
    assert counts == {start + 40}
    assert all(sample(text, "tka_db_pool_connections_open") >= 1 for text in scrapes)
