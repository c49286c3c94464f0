"""Prometheus metrics at ``/metrics``, answered only to ``Authorization: Bearer
<TKA_METRICS_TOKEN>`` (no token set: 404; none sent: 401; another: 403).

``serve --workers N`` runs N processes behind one socket, so a scrape reaches one of them at
random: per-process counters would jump between workers and look like resets to ``rate()``.
``serve`` therefore runs prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``,
a fresh folder each start): each worker writes its counts to memory-mapped files there and the
worker answering a scrape adds up every worker's. Facts of the database (audit chain length,
last alert run) are read at scrape time, the same whichever worker answers.
"""

from __future__ import annotations

import asyncio
import glob
import os
import re
from collections.abc import Iterator
from hmac import compare_digest
from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.exceptions import PermissionDeniedException as Forbidden
from litestar.response import Response
from piccolo.engine.base import Engine
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.alerts.tables import AlertRun
from tka_registry.audit.service import pending_reads
from tka_registry.audit.tables import AuditEntry
from tka_registry.system.observability import RequestRecord

# The database gets this long to give its facts; a scrape still answers without them.
DATABASE_FACTS_SECONDS = 1.5
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "tka_http_requests",
    "Requests answered, by method, route template and status",
    ["method", "route", "status"],
    registry=None,
)
LATENCY = Histogram(
    "tka_http_request_duration_seconds",
    "Time to answer a request, by method and route template (seconds)",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
    registry=None,
)
# Summed over the live worker processes (a dead worker's files are dropped at scrape).
POOL_IN_USE = Gauge(
    "tka_db_pool_connections_in_use",
    "Database connections lent to a request now, all workers",
    multiprocess_mode="livesum",
    registry=None,
)
POOL_OPEN = Gauge(
    "tka_db_pool_connections_open",
    "Database connections open now, all workers",
    multiprocess_mode="livesum",
    registry=None,
)
_PROCESS_METRICS = (REQUESTS, LATENCY, POOL_IN_USE, POOL_OPEN)


def multiprocess_folder() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def record_pool_use(engine: Engine[Any]) -> None:
    """This worker's pool use, into the gauges (a PostgreSQL pool or SQLite's connections)."""
    pool_use = getattr(engine, "pool_use", None)
    if pool_use is not None:
        in_use, size = pool_use
        POOL_IN_USE.set(in_use)
        POOL_OPEN.set(size)


def request_metrics(engine: Engine[Any]) -> Any:
    """The listener that counts and times each request (and samples the pool after it)."""

    def observe(record: RequestRecord) -> None:
        REQUESTS.labels(record.method, record.route, str(record.status)).inc()
        LATENCY.labels(record.method, record.route).observe(record.duration_ms / 1000)
        record_pool_use(engine)

    return observe


class _Facts:
    """Metrics worked out before the scrape (a collector's ``collect`` cannot await)."""

    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self.metrics


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


async def database_facts() -> list[Metric]:
    """The audit chain's length and reads waiting to be sealed, and the last alert run; only
    ``tka_database_up 0`` when the database does not answer in time."""

    async def read() -> list[Metric]:
        head = await AuditEntry.raw("SELECT MAX(sequence) AS head FROM audit_entry")
        run = await AlertRun.raw(
            "SELECT started_at, finished_at FROM alert_run ORDER BY run_on DESC LIMIT 1"
        )
        started = run[0]["started_at"].timestamp() if run else 0
        finished = run[0]["finished_at"].timestamp() if run and run[0]["finished_at"] else 0
        return [
            _gauge("tka_audit_chain_entries", "Entries in the audit chain", head[0]["head"] or 0),
            _gauge("tka_audit_reads_pending", "Reads waiting to be sealed", await pending_reads()),
            _gauge(
                "tka_alerts_last_run_started_timestamp_seconds",
                "When the last daily alert run started (Unix time; 0: never)",
                started,
            ),
            _gauge(
                "tka_alerts_last_run_finished_timestamp_seconds",
                "When the last daily alert run finished (Unix time; 0: never or running)",
                finished,
            ),
        ]

    try:
        facts = await asyncio.wait_for(read(), DATABASE_FACTS_SECONDS)
    except Exception:  # an outage must not hide the request metrics
        return [_gauge("tka_database_up", "Whether the database answered the scrape", 0)]
    return [_gauge("tka_database_up", "Whether the database answered the scrape", 1), *facts]


def _forget_dead_workers(folder: str) -> None:
    """Drop the live gauges of worker processes that have ended (uvicorn restarts workers)."""
    for path in glob.glob(os.path.join(folder, "gauge_live*_*.db")):
        found = re.search(r"_(\d+)\.db$", path)
        if found is None:
            continue
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(int(found.group(1)), folder)
        except PermissionError:  # alive, another user's
            pass


def _check_token(request: Request[Any, Any, Any], token: str) -> None:
    if not token:
        raise NotFoundException()  # metrics are off: nothing is there
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not offered:
        raise NotAuthorizedException(
            "send Authorization: Bearer <TKA_METRICS_TOKEN>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not compare_digest(offered.strip().encode(), token.encode()):
        raise Forbidden("wrong metrics token")


@get(
    "/metrics",
    # No account: Prometheus sends TKA_METRICS_TOKEN, checked here.
    opt={
        **access(PUBLIC),
        "exclude_from_auth": True,
        "access_note": "Prometheus with `TKA_METRICS_TOKEN`",
    },
    include_in_schema=False,
)
async def metrics(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    """Prometheus text format: requests, latency, pool use and the database's facts."""
    _check_token(request, state.settings.metrics_token)
    registry = CollectorRegistry(auto_describe=True)
    folder = multiprocess_folder()
    record_pool_use(state.engine)
    if folder is not None:
        _forget_dead_workers(folder)
        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        for metric in _PROCESS_METRICS:
            registry.register(metric)
    registry.register(_Facts(await database_facts()))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
