"""The one place that sends email: SMTP through aiosmtplib, one connection per run.

``TKA_SMTP_URL`` is ``smtp://host:port`` (plain), ``smtp+starttls://user:pass@host:587`` (upgrade
with STARTTLS) or ``smtps://host:465`` (TLS from the start). User and password are
percent-decoded, so ``p%40ss`` is the password ``p@ss``.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Literal
from urllib.parse import unquote, urlsplit

import aiosmtplib
from aiosmtplib.email import extract_recipients, extract_sender

Security = Literal["plain", "starttls", "tls"]

# Scheme -> (security, default port): RFC 5321 port 25, RFC 6409 submission 587, RFC 8314 465.
SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("tls", 465),
}


class MailServerUnavailable(ConnectionError):
    """The SMTP server could not be reached, greeted or logged into; nothing was sent."""


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to reach the SMTP server. The password never appears in ``repr``."""

    host: str
    port: int
    security: Security = "plain"
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        scheme = next(name for name, (kind, _) in SCHEMES.items() if kind == self.security)
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpTarget:
    """The SMTP target of ``url`` (see module docstring); ValueError naming what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        known = ", ".join(f"{name}://" for name in SCHEMES)
        raise ValueError(f"SMTP URL {_shown(url)!r}: scheme must be one of {known}")
    if not parts.hostname:
        raise ValueError(f"SMTP URL {_shown(url)!r}: no host name")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"SMTP URL {_shown(url)!r}: no path, query or fragment is allowed")
    try:
        port = parts.port
    except ValueError as error:
        raise ValueError(f"SMTP URL {_shown(url)!r}: port is not a number 1-65535") from error
    if port == 0:
        raise ValueError(f"SMTP URL {_shown(url)!r}: port is not a number 1-65535")
    security, default_port = SCHEMES[scheme]
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise ValueError(f"SMTP URL {_shown(url)!r}: a password needs a user name")
    return SmtpTarget(parts.hostname, port or default_port, security, username, password)


def _shown(url: str) -> str:
    """The URL with any password hidden, for error messages and logs."""
    parts = urlsplit(url.strip())
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


@dataclass(frozen=True)
class RefusedRecipient:
    """A recipient the server refused, with its SMTP reply code and text."""

    address: str
    code: int
    reason: str

    @property
    def permanent(self) -> bool:
        """True for a 5xx reply: retrying the same address will not help (RFC 5321 4.2.1)."""
        return 500 <= self.code < 600


@dataclass(frozen=True)
class DeliveryResult:
    """What happened to one message. ``failure`` is None when at least one recipient got it."""

    message_id: str
    accepted: tuple[str, ...] = ()
    refused: tuple[RefusedRecipient, ...] = ()
    failure: str | None = None
    server_reply: str = ""

    @property
    def delivered(self) -> bool:
        return self.failure is None and bool(self.accepted)

    @property
    def status(self) -> Literal["sent", "failed"]:
        """The ledger state for this delivery."""
        return "sent" if self.delivered else "failed"


class Mailbox:
    """An open SMTP session for one run: ``async with Mailbox(target) as mailbox: ...``.

    Opening raises :class:`MailServerUnavailable` if the server cannot be reached. ``send`` never
    raises for refused recipients or a failed transaction; it reports them in the result.
    """

    def __init__(
        self,
        target: SmtpTarget,
        *,
        timeout_seconds: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.target = target
        self._timeout = timeout_seconds
        self._tls_context = tls_context
        self._client: aiosmtplib.SMTP | None = None
        self.sent_count = 0

    def _new_client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.target.host,
            port=self.target.port,
            username=self.target.username,
            password=self.target.password,
            timeout=self._timeout,
            use_tls=self.target.security == "tls",
            start_tls=self.target.security == "starttls",
            tls_context=self._tls_context,
        )

    async def open(self) -> None:
        """Connect, greet, upgrade to TLS and log in as the target asks."""
        client = self._new_client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            client.close()
            raise MailServerUnavailable(f"cannot use SMTP server {self.target}: {error}") from error
        self._client = client

    async def close(self) -> None:
        """Say QUIT and drop the connection; a connection already gone is not an error."""
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()

    async def __aenter__(self) -> Mailbox:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _connected_client(self) -> aiosmtplib.SMTP:
        # A server may drop an idle or failed session mid-run; reconnect once before giving up.
        if self._client is None or not self._client.is_connected:
            await self.open()
        assert self._client is not None
        return self._client

    async def send(self, message: EmailMessage) -> DeliveryResult:
        """Send ``message`` to its To/Cc/Bcc recipients over the open connection.

        Raises :class:`MailServerUnavailable` only when the connection was lost and cannot be
        re-opened; every other failure is returned as a failed :class:`DeliveryResult`.
        """
        message_id = str(message.get("Message-ID", ""))
        recipients = extract_recipients(message)
        if extract_sender(message) is None or not recipients:
            return DeliveryResult(message_id, failure="message has no From or no recipient")
        client = await self._connected_client()
        try:
            errors, reply = await client.send_message(message, recipients=recipients)
        except aiosmtplib.SMTPRecipientsRefused as error:
            refused = tuple(
                RefusedRecipient(item.recipient, item.code, item.message)
                for item in error.recipients
            )
            return DeliveryResult(message_id, refused=refused, failure="all recipients refused")
        except aiosmtplib.SMTPResponseException as error:
            return DeliveryResult(message_id, failure=f"SMTP {error.code}: {error.message}")
        except (aiosmtplib.SMTPNotSupported, ValueError) as error:
            # An address the server cannot take; the session itself is still usable.
            return DeliveryResult(message_id, failure=f"{type(error).__name__}: {error}")
        except (aiosmtplib.SMTPException, OSError) as error:
            await self.close()
            return DeliveryResult(message_id, failure=f"{type(error).__name__}: {error}")
        refused = tuple(
            RefusedRecipient(address, response.code, response.message)
            for address, response in errors.items()
        )
        accepted = tuple(address for address in recipients if address not in errors)
        self.sent_count += 1
        return DeliveryResult(message_id, accepted, refused, server_reply=reply)


__all__ = [
    "DeliveryResult",
    "MailServerUnavailable",
    "Mailbox",
    "RefusedRecipient",
    "SmtpTarget",
    "parse_smtp_url",
]
