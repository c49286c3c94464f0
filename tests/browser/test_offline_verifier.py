"""The offline verifier in real Chromium (issue 20): synced once, then with the server gone it
still checks signatures with WebCrypto Ed25519, knows a revocation from its last status list,
and keeps verifying a permit printed before a key rotation done through the CLI while serving.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.browser.conftest import PHONE
from tests.documents.http import decode_qr
from tests.factories import account, bearer, created, employer_body, permit_body, worker_body
from tests.system.serving import SECRET_KEY, serving, tka, tka_env
from tka_registry.documents import keys, signing
from tka_registry.rules.calendar import jakarta_today
from tka_registry.settings import load_settings

pytestmark = pytest.mark.browser


async def _permit_token(
    http: httpx.AsyncClient, officer: dict[str, str], employer_id: int, folder: Path, **body: Any
) -> tuple[dict[str, Any], str]:
    worker = await created(http, "/api/v1/workers", worker_body(employer_id), officer)
    body = {"register_number": f"W9-PLB-2026-{worker['id']:06d}", **body}
    permit = await created(http, "/api/v1/permits", permit_body(worker["id"], **body), officer)
    document = await http.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert document.status_code == 200, document.text
    return permit, _qr_token(document.content, folder)


def _qr_token(pdf: bytes, folder: Path) -> str:
    folder.mkdir()
    return decode_qr(pdf, folder)[0].rsplit("/", 1)[1]


async def _verdict(page: Any) -> str:
    # A selector, not wait_for_function: its string predicate is eval'd in the page while it
    # polls, which the page's CSP (script-src 'self') refuses whenever the verdict comes late.
    await page.wait_for_selector(
        "#verdict:not([data-outcome='none'])", state="attached", timeout=10_000
    )
    return str(await page.get_attribute("#verdict", "data-outcome"))


async def test_offline_verifier_knows_rotations_and_revocations(
    db: str, browser: Any, tmp_path: Path, artifacts: Path
) -> None:
    shots = artifacts / "browser" / "offline-verifier"
    shots.mkdir(parents=True, exist_ok=True)
    env = tka_env(db, tmp_path / "data")
    officer_email = await account("officer")
    today = jakarta_today(datetime.now(UTC))  # the served app runs on the wall clock
    with serving(env, log=tmp_path / "serve.log") as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            officer = await bearer(http, officer_email)
            employer = await created(http, "/api/v1/employers", employer_body(0), officer)
            before, old_token = await _permit_token(http, officer, employer["id"], tmp_path / "a")
            rotated = tka(env, "keys", "rotate")  # the CLI, while the server runs
            assert rotated.returncode == 0, rotated.stderr
            assert "retired signing key" in rotated.stdout
            _, new_token = await _permit_token(http, officer, employer["id"], tmp_path / "b")
            revoked, revoked_token = await _permit_token(
                http, officer, employer["id"], tmp_path / "c"
            )
            assert signing.token_kid(old_token) != signing.token_kid(new_token)
            cancelled = await http.patch(
                f"/api/v1/permits/{revoked['id']}",
                json={"revoked_on": today.isoformat(), "revocation_reason": "Dicabut"},
                headers=officer,
            )
            assert cancelled.status_code == 200, cancelled.text
            online = (await http.get(f"/api/v1/verify/{old_token}")).json()
            assert online["outcome"] == "valid" and online["permit_number"] == before["number"]

            context = await browser.new_context(viewport=PHONE, base_url=base)
            page = await context.new_page()
            await page.goto("/verify/offline")
            await page.wait_for_selector("body[data-ready='yes']")
            await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            assert await page.get_attribute("#sync", "data-synced") == "yes"
    # The server is gone and the browser is offline: only what the page kept remains.
    await context.set_offline(True)
    offline = await context.new_page()
    await offline.goto(f"/verify/offline#{old_token}")
    assert await _verdict(offline) == "valid"  # printed before the rotation
    assert await offline.text_content("#permit-number") == before["number"]
    assert await offline.text_content("#holder") == "Z**** W**"
    assert await offline.text_content("#nationality") == "CHN"
    assert await offline.text_content("#expires-on") == before["expires_on"]
    assert "Status per" in (await offline.text_content("#reason") or "")
    await offline.screenshot(path=str(shots / "valid-offline.png"))

    async def check(fragment: str) -> str:
        await offline.evaluate("document.getElementById('verdict').dataset.outcome = 'none'")
        await offline.evaluate(f"location.hash = {fragment!r}")  # a hashchange
        return await _verdict(offline)

    assert await check(new_token) == "valid"
    assert await check(revoked_token) == "revoked"
    await offline.screenshot(path=str(shots / "revoked-offline.png"))
    # Bad input: garbage, a kid nobody published, a forged kid, an altered token.
    assert await check("not-a-token") == "invalid"
    assert await check("%E0%A4%A") == "invalid"
    stranger = Ed25519PrivateKey.generate()
    for kid in ("abcdefghijklmnop", signing.token_kid(new_token) or ""):
        statement = signing.permit_statement(
            "2C21AA9999", "Zhang Wei", "CHN", date(2027, 5, 31), kid=kid,
            signed_at=int(datetime.now(UTC).timestamp()), valid_from=date(2026, 6, 1),
        )  # fmt: skip
        assert await check(signing.sign_permit(stranger, statement)) == "invalid"
    payload, signature = new_token.split(".")
    assert await check(f"{payload[:-2]}AA.{signature}") == "invalid"
    # Not yet in force and expired: tokens signed with the office's current key (opened with
    # the served processes' TKA_SECRET_KEY) whose first day is ahead, or last day past.
    current = await keys.current_signing_key(
        load_settings(environ={}, database_url=db, secret_key=SECRET_KEY, data_dir=tmp_path)
    )
    for first, last, expected in (
        (date(2099, 1, 1), date(2099, 12, 31), "not_yet_valid"),
        (date(2020, 1, 1), date(2020, 12, 31), "expired"),
    ):
        statement = signing.permit_statement(
            before["number"], "Zhang Wei", "CHN", last, kid=current.kid,
            signed_at=int(datetime.now(UTC).timestamp()), valid_from=first, status_index=before["id"],
        )  # fmt: skip
        assert await check(signing.sign_permit(current.private_key, statement)) == expected
    # A tampered status list: one character of the kept list changed.
    await offline.evaluate(
        """() => {
          const kept = JSON.parse(localStorage.getItem('tka.verify.status'));
          const [payload, signature] = kept.status_list.split('.');
          const text = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
          const changed = text.replace('"as_of":"', '"as_of":"1');
          const encoded = btoa(changed).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
          kept.status_list = encoded + '.' + signature;
          localStorage.setItem('tka.verify.status', JSON.stringify(kept));
        }"""
    )
    assert await check(old_token) == "invalid"
    assert "status" in (await offline.text_content("#reason") or "").lower()
    await context.close()
