"""Telling an account holder by email that someone is guessing their password.

Sent once per run of failures, when the guesses reach the limit that starts the pauses
(accounts/throttle.py), through the registry's one mailer (alerts/mailer.py). Sending happens in
the background, so the refused sign-in answers as fast as any other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from tka_registry.alerts.mailer import Mailbox, MailServerUnavailable, parse_smtp_url
from tka_registry.settings import Settings

WIB = ZoneInfo("Asia/Jakarta")
log = logging.getLogger(__name__)
# Tasks still sending; kept so they are not collected before they finish.
_sending: set[asyncio.Task[None]] = set()

Warn = Callable[[str, int, str, datetime], None]


def attack_notice(
    settings: Settings, *, email: str, failures: int, address: str, at: datetime
) -> EmailMessage:
    """The warning email: Bahasa Indonesia first, English below."""
    when = at.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email
    message["Subject"] = "Percobaan masuk gagal pada akun Anda / Failed sign-ins on your account"
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(
        f"Akun {email} di Registri TKA baru saja menerima {failures} percobaan masuk dengan "
        f"kata sandi yang salah (terakhir {when}, dari alamat {address}). Untuk sementara "
        "akun ini hanya dapat dicoba lagi setelah jeda yang makin lama.\n"
        "Jika itu bukan Anda, seseorang mungkin menebak kata sandi Anda: setelah masuk, ganti "
        f"kata sandi di {settings.base_url}/akun/kata-sandi dan beri tahu admin kantor.\n\n"
        f"The account {email} on the TKA Registry has just had {failures} sign-in attempts "
        f"with a wrong password (the last at {when}, from address {address}). For now the "
        "account can only be tried again after a pause that grows longer each time.\n"
        "If that was not you, someone may be guessing your password: once signed in, change "
        f"it at {settings.base_url}/akun/kata-sandi and tell the office's admin.\n"
    )
    return message


async def send_attack_notice(settings: Settings, message: EmailMessage) -> bool:
    """Send ``message``; True when delivered. A mail server that is down is logged, not raised."""
    try:
        async with Mailbox(parse_smtp_url(settings.smtp_url), timeout_seconds=15) as mailbox:
            result = await mailbox.send(message)
    except (MailServerUnavailable, ValueError) as error:
        log.warning("sign-in attack notice to %s not sent: %s", message["To"], error)
        return False
    if not result.delivered:
        log.warning("sign-in attack notice to %s not sent: %s", message["To"], result.failure)
    return result.delivered


def in_background(work: Coroutine[Any, Any, Any]) -> None:
    """Run ``work`` without waiting for it (the refusal must not take longer than others)."""

    async def run() -> None:
        await work

    task = asyncio.get_running_loop().create_task(run())
    _sending.add(task)
    task.add_done_callback(_sending.discard)


def attack_warning(settings: Settings) -> Warn:
    """What sign-in calls when an account reaches its failure limit: emails the holder."""

    def warn(email: str, failures: int, address: str, at: datetime) -> None:
        message = attack_notice(settings, email=email, failures=failures, address=address, at=at)
        in_background(send_attack_notice(settings, message))

    return warn


async def finish_sending() -> None:
    """Wait for the notices still being sent (the app's shutdown and the tests)."""
    while _sending:
        await asyncio.gather(*list(_sending), return_exceptions=True)
