"""Password guessing against the real app: bursts of concurrent sign-ins, the same answer for
every refusal, growing pauses per account, the holder warned by email, and the current password
of the change page counted like sign-in (OWASP ASVS 4.0.3 2.2.1)."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar

from tests.alerts.conftest import smtp_server  # noqa: F401 - the real SMTP server
from tests.alerts.smtp_sink import SmtpServer
from tests.conftest import NOW
from tests.factories import PASSWORD, account
from tests.security.conftest import Clock, serving
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.accounts.attack_notice import finish_sending
from tka_registry.accounts.tables import Account
from tka_registry.accounts.throttle import pause_after
from tka_registry.app import create_app
from tka_registry.settings import Settings

TOKEN = "/api/v1/auth/token"
WRONG = "tebakan yang salah"


@pytest.fixture
def guessed_app(db: str, settings: Settings, clock: Clock) -> Litestar:
    # The per-address limit is tested elsewhere; here only the per-account count may answer.
    return create_app(settings.with_overrides(signin_rate_limit_per_minute=10_000), clock=clock)


@pytest.fixture
async def http(guessed_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(guessed_app) as client:
        yield client


async def _guess(http: httpx.AsyncClient, email: str, password: str = WRONG) -> httpx.Response:
    return await http.post(TOKEN, json={"email": email, "password": password})


async def _counts(email: str) -> dict[str, object]:
    row = await Account.select(Account.failed_signins, Account.locked_until).where(
        Account.email == email
    )
    return dict(row[0])


async def test_a_concurrent_burst_of_wrong_passwords_pauses_the_account(http, clock) -> None:
    """18 wrong passwords at once, then the right one: the account must be paused (the count
    was lost between concurrent read-then-write before)."""
    email = await account("officer")
    answers = await asyncio.gather(*(_guess(http, email) for _ in range(18)))
    assert [a.status_code for a in answers] == [401] * 18
    assert len({a.json()["detail"] for a in answers}) == 1
    counts = await _counts(email)
    assert counts["failed_signins"] == 5  # guesses past the limit were not even checked
    assert counts["locked_until"] is not None and counts["locked_until"] > NOW
    right = await _guess(http, email, PASSWORD)
    assert right.status_code == 401 and right.json() == answers[0].json()

    clock.advance(minutes=1, seconds=1)  # the first pause is one minute
    assert (await _guess(http, email, PASSWORD)).status_code == 200
    assert (await _counts(email))["failed_signins"] == 0


async def test_a_burst_from_five_addresses_pauses_the_account(guessed_app, clock) -> None:
    """Guesses spread over 5 client addresses count against the one account."""
    email = await account("officer")

    async def from_address(number: int) -> list[int]:
        transport = httpx.ASGITransport(app=guessed_app, client=(f"192.0.2.{number}", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as one:
            answers = await asyncio.gather(*(_guess(one, email) for _ in range(4)))
            return [a.status_code for a in answers]

    async with serving(guessed_app):
        codes = await asyncio.gather(*(from_address(n) for n in range(1, 6)))
        assert [c for row in codes for c in row] == [401] * 20
        assert (await _counts(email))["failed_signins"] == 5
        transport = httpx.ASGITransport(app=guessed_app, client=("192.0.2.77", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as owner:
            assert (await _guess(owner, email, PASSWORD)).status_code == 401


async def test_pauses_grow_and_each_failure_after_a_pause_counts(http, clock, settings) -> None:
    email = await account("officer")
    for _ in range(settings.signin_max_failures):
        assert (await _guess(http, email)).status_code == 401
    waited = []
    for failures in range(settings.signin_max_failures, settings.signin_max_failures + 6):
        longest = timedelta(minutes=settings.signin_lockout_minutes)
        pause = pause_after(failures, settings.signin_max_failures, longest)
        assert pause is not None
        clock.advance(seconds=pause.total_seconds() - 1)
        assert (await _guess(http, email, PASSWORD)).status_code == 401  # still waiting
        clock.advance(seconds=1)
        assert (await _guess(http, email)).status_code == 401  # a counted wrong guess
        waited.append(int(pause.total_seconds() // 60))
    assert waited == [1, 2, 4, 8, 15, 15]  # doubling, never above TKA_SIGNIN_LOCKOUT_MINUTES
    clock.advance(minutes=settings.signin_lockout_minutes)
    assert (await _guess(http, email, PASSWORD)).status_code == 200


async def test_wrong_paused_and_unknown_answer_alike(http, clock) -> None:
    """Status, body and (roughly) time are the same for a wrong password, an unknown email and
    a paused account, so nobody learns which accounts exist or locks an admin out by it."""
    paused, known = await account("admin"), await account("officer")
    for _ in range(5):
        await _guess(http, paused)

    async def timed(email: str, password: str) -> tuple[httpx.Response, float]:
        started = time.perf_counter()
        response = await _guess(http, email, password)
        return response, time.perf_counter() - started

    samples: dict[str, list[float]] = {"wrong": [], "unknown": [], "paused": []}
    bodies = set()
    for round_number in range(5):
        for kind, email, password in (
            ("wrong", known, WRONG),
            ("unknown", f"nobody{round_number}@imigrasi.test", WRONG),
            ("paused", paused, PASSWORD),
        ):
            response, seconds = await timed(email, password)
            assert response.status_code == 401
            bodies.add(response.text)
            samples[kind].append(seconds)
        # Keep the "wrong" account below its limit so it stays a plain wrong password.
        await _guess(http, known, PASSWORD)
    assert len(bodies) == 1
    wrong = statistics.median(samples["wrong"])
    # Every refusal runs one argon2 check: without it an answer is many times faster.
    for kind in ("unknown", "paused"):
        assert statistics.median(samples[kind]) > wrong / 3, samples


async def test_the_holder_is_emailed_once_when_the_guessing_starts(
    db,
    settings,
    clock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    app = create_app(settings.with_overrides(smtp_url=smtp_server.url), clock=clock)
    email = await account("officer")
    other = await account("officer")
    async with serving(app) as http:
        await asyncio.gather(*(_guess(http, email) for _ in range(12)))
        await _guess(http, other)  # one failure of another account warns nobody
        await finish_sending()
    received = smtp_server.handler.received
    assert [r.rcpt_tos for r in received] == [[email]]
    text = received[0].message().get_body(("plain",)).get_content()
    assert "5 percobaan masuk" in text and "5 sign-in attempts" in text
    assert "127.0.0.1" in text and "/akun/kata-sandi" in text


async def test_a_mail_server_that_is_down_does_not_change_the_answer(db, settings, clock) -> None:
    app = create_app(settings.with_overrides(smtp_url="smtp://127.0.0.1:9"), clock=clock)
    email = await account("officer")
    async with serving(app) as http:
        answers = [await _guess(http, email) for _ in range(6)]
        await finish_sending()
    assert [a.status_code for a in answers] == [401] * 6


async def test_current_password_guesses_on_the_change_page_are_limited(http, clock) -> None:
    email = await account("officer")
    assert (await sign_in_page(http, email)).status_code == 303
    new = "kopi pempek jembatan ampera"

    async def change(current: str) -> httpx.Response:
        token = await csrf_token(http, "/akun/kata-sandi")
        form = {"current_password": current, "new_password": new, "new_password_again": new}
        return await http.post("/akun/kata-sandi", data={**form, "_csrf_token": token})

    token = await csrf_token(http, "/akun/kata-sandi")
    form = {"new_password": new, "new_password_again": new, "_csrf_token": token}
    burst = await asyncio.gather(
        *(
            http.post("/akun/kata-sandi", data={**form, "current_password": f"x{n}" * 7})
            for n in range(10)
        )
    )
    assert [b.status_code for b in burst] == [400] * 10
    assert (await _counts(email))["failed_signins"] == 5
    right = await change(PASSWORD)
    assert right.status_code == 400 and "harus menunggu" in right.text
    # The guesses count for sign-in too: the account waits there as well.
    assert (await _guess(http, email, PASSWORD)).status_code == 401
    clock.advance(minutes=1, seconds=1)
    assert (await change(PASSWORD)).status_code == 303
