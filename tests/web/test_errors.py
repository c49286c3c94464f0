"""An unexpected failure on a page answers an HTML page with a reference, never a trace."""

from __future__ import annotations

import re

import httpx
import pytest
from litestar import Litestar, get

from tests.conftest import NOW
from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.app import create_app
from tka_registry.settings import Settings


@get("/uji-galat", opt=access(PUBLIC), include_in_schema=False)
async def failing_page() -> str:
    raise RuntimeError("secret detail of the failure")


@get("/api/v1/uji-galat", opt=access(PUBLIC), include_in_schema=False)
async def failing_api() -> str:
    raise RuntimeError("secret detail of the failure")


@pytest.fixture
def app(db: str, settings: Settings) -> Litestar:
    """The registry's app with two failing routes (overrides the shared ``app`` fixture)."""
    registry = create_app(settings, clock=lambda: NOW)
    registry.register(failing_page)
    registry.register(failing_api)
    return registry


async def test_internal_error_page_has_a_reference_and_no_trace(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/uji-galat")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "Maaf, layanan sedang bermasalah" in page.text
    reference = re.search(r'class="reference">([0-9a-f]{12})<', page.text)
    assert reference, page.text
    # The reference is the start of the request id, which the JSON log line carries in full.
    assert page.headers["x-request-id"].startswith(reference.group(1))
    assert "secret detail" not in page.text and "Traceback" not in page.text

    api = await client.get("/api/v1/uji-galat")
    assert api.status_code == 500 and "secret detail" not in api.text
    assert api.json()["status_code"] == 500
