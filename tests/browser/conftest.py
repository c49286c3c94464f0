"""Browser tests: the real app served by uvicorn in a subprocess, driven by headless Chromium.

The server runs in its own process against the test database (``database_url``), so its
event loop and connection pool are its own; tests seed data on their loop (through the JSON API
with the ``client`` fixture, or services) before opening pages. Chromium is Debian's
``/usr/bin/chromium`` through Playwright's ``executable_path``. Without Chromium or Playwright
the tests are skipped with a message, or fail under ``CI=true``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import IN_CI
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("TKA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_INSTALLED = Path(CHROMIUM).exists()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(f"{reason} (skipped outside CI)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the test server exited with {server.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the test server did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the app served by uvicorn on a free loopback port."""
    port = _free_port()
    env = {
        **os.environ,
        "TKA_DATABASE_URL": database_url,
        "TKA_SECRET_KEY": "test-secret",  # the in-process app's key: one signing key for both
        "TKA_DATA_DIR": str(tmp_path_factory.mktemp("server-data")),
        "PYTHONPATH": str(ROOT),
    }
    log = (tmp_path_factory.mktemp("server-log") / "uvicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM_INSTALLED:
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Any, live_server: str) -> AsyncIterator[Any]:
    """A fresh desktop-sized page (own cookies) whose relative URLs go to the live server."""
    context = await browser.new_context(viewport=DESKTOP, base_url=live_server)
    tab = await context.new_page()
    yield tab
    await context.close()


@pytest.fixture
async def phone_page(browser: Any, live_server: str) -> AsyncIterator[Any]:
    context = await browser.new_context(
        viewport=PHONE, base_url=live_server, is_mobile=True, has_touch=True
    )
    tab = await context.new_page()
    yield tab
    await context.close()


async def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Fill the sign-in form the way a person does (the page is already on /masuk)."""
    await page.get_by_label("Alamat email").fill(email)
    await page.get_by_label("Kata sandi").fill(password)
    await page.get_by_role("button", name="Masuk").click()
    await page.wait_for_load_state()


async def upload_checklist(page: Any, folder: Path) -> None:
    """Upload the four documents of a work permit's checklist on an open case page, the way a
    person does (kind, file, "Unggah")."""
    from tests.applications.conftest import image_bytes, pdf_bytes

    uploads = [
        ("passport_page", "paspor.pdf", pdf_bytes(b"paspor")),
        ("rptka", "rptka.pdf", pdf_bytes(b"rptka")),
        ("dkptka", "dkptka.pdf", pdf_bytes(b"dkptka")),
        ("photo", "foto.png", image_bytes("PNG")),
    ]
    for kind, name, content in uploads:
        path = folder / name
        path.write_bytes(content)
        await page.select_option("#kind", kind)
        await page.set_input_files("#file", str(path))
        await page.get_by_role("button", name="Unggah").click()
