"""What the registry gives away besides its answers: bodies cut mid-stream, copies kept by
browsers and proxies, scripts from a third-party CDN, and files others on the host can read."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.factories import account, created, employer_body, signed_in, worker_body
from tests.web.conftest import sign_in_page
from tka_registry.app import create_app
from tka_registry.settings import load_settings


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/intelligence/exports/workers.csv?q=%00",
        "/api/v1/intelligence/exports/workers.csv?nationality=CHN&position=a%00b",
        "/api/v1/audit/export.csv?action=x%00",
        "/api/v1/workers?q=%00",
    ],
)
async def test_a_nul_in_a_filter_answers_400_before_any_stream(client, path: str) -> None:
    admin = await signed_in(client, "admin")
    response = await client.get(path, headers=admin)
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert body["errors"][0]["field"] in {"q", "position", "action"}
    assert "NUL" in body["errors"][0]["reason"]


async def test_the_export_page_refuses_a_nul_with_a_page(client) -> None:
    await sign_in_page(client, await account("intelligence"))
    response = await client.get("/intelijen/unduh.csv?q=%00")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")


async def test_answers_with_personal_data_are_never_stored(client) -> None:
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    admin = await signed_in(client, "admin")
    for path, headers in [
        (f"/api/v1/workers/{worker['id']}", officer),
        ("/api/v1/workers", officer),
        ("/api/v1/intelligence/exports/workers.csv", admin),
        ("/api/v1/audit/export.csv", admin),
        ("/api/v1/auth/me", officer),
        ("/masuk", {}),
        ("/tidak-ada", {}),
    ]:
        response = await client.get(path, headers=headers)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.headers["cache-control"] == "no-store", path
    await sign_in_page(client, await account("officer"))
    page = await client.get("/petugas")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    # The package's own stylesheet may be cached: it holds nobody's data.
    css = await client.get("/static/app.css")
    assert css.status_code == 200 and css.headers.get("cache-control") != "no-store"


async def test_the_api_viewer_loads_nothing_from_another_site(client) -> None:
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text.split("<body")[0]
    assert "cdn." not in page.headers["content-security-policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        assert f'"/schema-ui/{asset}"' in page.text
        response = await client.get(f"/schema-ui/{asset}")
        assert response.status_code == 200 and len(response.content) > 10_000, asset


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_database_and_its_key_are_the_owners_alone(tmp_path, db) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    url = f"sqlite:///{fresh / 'registry.sqlite3'}"
    fresh_settings = load_settings(environ={}, database_url=url, data_dir=fresh / "data")
    create_app(fresh_settings)
    assert _mode(fresh / "registry.sqlite3") == 0o600
    assert _mode(fresh / ".tka_secret_key") == 0o600
