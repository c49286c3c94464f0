"""Public pages of documents: the verification page a QR code opens, and the public key."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Controller, MediaType, Request, Response, get
from litestar.params import FromPath, QueryParameter

from tka_registry.accounts.auth import PUBLIC, access, client_address
from tka_registry.dependencies import Now, SettingsDep, Today
from tka_registry.documents import signing
from tka_registry.documents.keys import current_signing_key, public_raw, published_keys
from tka_registry.documents.status_list import signed_status_list
from tka_registry.documents.verification import VerificationOut, verify
from tka_registry.folders import STATIC_DIR, TEMPLATES_DIR
from tka_registry.formats import long_date
from tka_registry.security.rate_limits import verification_rate_limit

PAGES_DIR = TEMPLATES_DIR / "pages"
SERVICE_WORKER = STATIC_DIR / "verify-offline-sw.js"

# (Indonesian, English) headline of each outcome.
HEADLINES = {
    "valid": ("Izin tinggal SAH dan BERLAKU", "Stay permit is GENUINE and VALID"),
    "not_yet_valid": (
        "Izin tinggal SAH tetapi BELUM BERLAKU",
        "Stay permit is GENUINE but NOT YET IN FORCE",
    ),
    "expired": ("Izin tinggal telah BERAKHIR", "Stay permit has EXPIRED"),
    "revoked": ("Izin tinggal telah DICABUT", "Stay permit has been REVOKED"),
    "superseded": (
        "Izin tinggal telah DIGANTI dengan izin yang lebih baru",
        "Stay permit has been SUPERSEDED by a newer permit",
    ),
    "invalid": (
        "Kode TIDAK SAH atau izin tidak dikenal",
        "Code is NOT GENUINE or the permit is unknown",
    ),
}


@cache
def _pages() -> Environment:
    return Environment(
        loader=FileSystemLoader(PAGES_DIR), autoescape=select_autoescape(default=True)
    )


class VerificationPageController(Controller):
    path = "/verify"
    include_in_schema = False

    @get("/public-key", opt=access(PUBLIC), media_type="application/x-pem-file")
    async def public_key(self, settings: SettingsDep) -> Response[str]:
        """The Ed25519 public key (PEM) that checks a token's signature offline."""
        pem = signing.public_key_pem((await current_signing_key(settings)).private_key)
        return Response(pem, media_type="application/x-pem-file")

    @get("/keys", opt=access(PUBLIC))
    async def key_set(self) -> Response[dict[str, Any]]:
        """Every key that verifies: kid, public key (PEM and raw base64url), valid from,
        retired on. A token names its kid; a key signs only between the two times."""
        keys = [
            {
                "kid": key.kid,
                "algorithm": "Ed25519",
                "public_key": key.public_pem,
                "public_key_raw": public_raw(key),
                "valid_from": key.valid_from.isoformat(),
                "retired_on": key.retired_on.isoformat() if key.retired_on else None,
            }
            for key in await published_keys()
        ]
        return Response({"keys": keys}, headers={"Cache-Control": "public, max-age=300"})

    @get("/status", opt=access(PUBLIC))
    async def status(self, settings: SettingsDep, today: Today) -> Response[dict[str, Any]]:
        """The signed, dated list of permits no longer valid (documents.status_list)."""
        answer = await signed_status_list(settings, today=today, now=datetime.now(UTC))
        return Response(answer, headers={"Cache-Control": "public, max-age=300"})

    @get("/offline", opt=access(PUBLIC))
    async def offline(self) -> Response[str]:
        """The verifier that keeps working without a network (static/verify-offline.js)."""
        html = _pages().get_template("verify_offline.html").render()
        return Response(html, media_type=MediaType.HTML, headers={"Cache-Control": "no-cache"})

    @get("/offline-sw.js", opt=access(PUBLIC))
    async def service_worker(self) -> Response[bytes]:
        """The offline verifier's service worker, served here so its scope is /verify/."""
        return Response(
            SERVICE_WORKER.read_bytes(),
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/", opt=access(PUBLIC), guards=[verification_rate_limit])
    async def by_code(
        self,
        request: Request[Any, Any, Any],
        settings: SettingsDep,
        today: Today,
        now: Now,
        kode: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> Response[str]:
        """The manual code typed in (``?kode=ABCD-EFGH-J``), or the form to type it."""
        if not kode:
            return _page(None, today=today)
        answer = await verify(
            kode, address=client_address(request), today=today, now=now, settings=settings
        )
        return _page(answer, today=today, typed=kode)

    @get("/{token:str}", opt=access(PUBLIC), guards=[verification_rate_limit])
    async def page(
        self,
        token: FromPath[str],
        request: Request[Any, Any, Any],
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Response[str]:
        answer = await verify(
            token, address=client_address(request), today=today, now=now, settings=settings
        )
        return _page(answer, today=today)


def _page(answer: VerificationOut | None, *, today: date, typed: str = "") -> Response[str]:
    """The verification page: an answer (or only the code form), never cached or referred."""
    html = (
        _pages()
        .get_template("verify.html")
        .render(
            answer=answer,
            typed=typed,
            headline=HEADLINES[answer.outcome.value] if answer else None,
            dates=[
                (label, (long_date(day, "id"), long_date(day, "en")))
                for label, day in (
                    (("Tanggal terbit", "Date of issue"), answer.issued_on),
                    (("Berlaku dari", "Valid from"), answer.valid_from),
                    (("Berlaku sampai dengan", "Valid until"), answer.expires_on),
                )
                if day is not None
            ]
            if answer
            else [],
            checked_on=long_date(today, "id"),
            checked_on_en=long_date(today, "en"),
        )
    )
    return Response(
        html,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
