"""Logs an operator can use (issue 16): with ``TKA_LOG_FORMAT=json`` a real ``serve`` writes one
JSON line per request, and every answer carries its request id in ``X-Request-ID``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import account, bearer
from tests.system.serving import serving, tka_env
from tka_registry.accounts.tables import Account
from tka_registry.settings import load_settings


def json_lines(log: Path) -> list[dict[str, Any]]:
    """The lines of a serve log, each a JSON object (start-up lines included)."""
    return [json.loads(line) for line in log.read_text().splitlines()]


def request_lines(log: Path, wanted: int) -> list[dict[str, Any]]:
    """The request lines, once ``wanted`` of them are written (a line follows its answer)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in json_lines(log) if line["logger"] == "tka_registry.requests"]
        if len(lines) >= wanted or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


async def test_each_request_is_one_json_line_with_its_id_route_and_account(
    db: str, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    env = tka_env(db, tmp_path / "data", TKA_LOG_FORMAT="json", TKA_TRUSTED_PROXIES="127.0.0.1")
    with serving(env, log=log) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            email = await account("officer")
            officer = await bearer(http, email)
            worker = await http.get("/api/v1/workers/999999", headers=officer)
            unmatched = await http.get("/no/such/page/123")
            # A trusted proxy (127.0.0.1 here) may hand on its id; a line break may not pass.
            kept = await http.get("/health", headers={"X-Request-ID": "nginx-4f2a9c"})
            replaced = await http.get("/health", headers={"X-Request-ID": "evil\tline"})
            forwarded = await http.get("/health", headers={"X-Forwarded-For": "203.0.113.7"})
        lines = request_lines(log, 6)
    answers = [worker, unmatched, kept, replaced, forwarded]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert ids[2] == "nginx-4f2a9c"
    assert ids[3] != "evil\tline" and len(ids[3]) == 32
    by_id = {line["request_id"]: line for line in lines}
    assert set(ids) <= set(by_id), "each answered request has its line, under its id"
    officer_id = (await Account.select(Account.id).where(Account.email == email).first())["id"]
    seen = by_id[ids[0]]
    assert seen["route"] == "/api/v1/workers/{worker_id}"  # the template, not the number
    assert seen["method"] == "GET" and seen["status"] == 404
    assert seen["account_id"] == officer_id and seen["client"] == "127.0.0.1"
    assert isinstance(seen["duration_ms"], float) and seen["duration_ms"] >= 0
    assert by_id[ids[1]]["route"] == "(unmatched)" and by_id[ids[1]]["account_id"] is None
    assert by_id[ids[4]]["client"] == "203.0.113.7"
    sign_in = [line for line in lines if line["route"] == "/api/v1/auth/token"]
    assert len(sign_in) == 1 and sign_in[0]["status"] == 200
    loggers = {line["logger"] for line in json_lines(log)}
    assert {"uvicorn.error", "tka_registry.serve"} <= loggers, "every line is JSON"


async def test_an_id_from_an_untrusted_client_is_replaced(client: httpx.AsyncClient) -> None:
    answer = await client.get("/health", headers={"X-Request-ID": "chosen-by-the-client"})
    other = await client.get("/health")
    assert answer.headers["x-request-id"] != "chosen-by-the-client"
    assert len({answer.headers["x-request-id"], other.headers["x-request-id"]}) == 2


def test_an_unknown_log_format_stops_the_start() -> None:
    with pytest.raises(ValueError, match="TKA_LOG_FORMAT must be one of text, json"):
        load_settings(environ={"TKA_LOG_FORMAT": "xml", "TKA_SECRET_KEY": "x"})
