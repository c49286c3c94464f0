"""JSON API of documents: download and re-render a permit's document, verify a token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from pydantic import BaseModel

from tka_registry.accounts.auth import PUBLIC, access, client_address
from tka_registry.accounts.roles import OFFICE_ROLES, READERS
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.documents import service
from tka_registry.documents.verification import VerificationOut, verify
from tka_registry.security.rate_limits import verification_rate_limit


class StoredDocumentOut(BaseModel):
    id: int
    permit_id: int | None
    kind: str
    language: str
    template_version: str
    sha256: str
    size_bytes: int
    created_at: datetime


class DocumentController(Controller):
    path = "/api/v1"
    tags = ["documents"]

    @get("/permits/{permit_id:int}/document", opt=access(*READERS), media_type="application/pdf")
    async def download(
        self, permit_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> Response[bytes]:
        """The permit's stored PDF (officers, admins and the permit's own employer; else 404)."""
        pdf, filename = await service.download_permit_document(
            actor, permit_id, settings=settings, now=now
        )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    @post("/permits/{permit_id:int}/document/render", opt=access(*OFFICE_ROLES))
    async def render(
        self, permit_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> StoredDocumentOut:
        """Render the permit's document again (after a template change); old bytes are kept."""
        stored = await service.render_permit_document(actor, permit_id, settings=settings, now=now)
        return StoredDocumentOut(**stored.__dict__)

    @get("/verify/{token:str}", opt=access(PUBLIC), guards=[verification_rate_limit])
    async def verify_token(
        self,
        token: FromPath[str],
        request: Request[Any, Any, Any],
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> VerificationOut:
        """Public: valid, expired, revoked, superseded or invalid, with a masked name."""
        return await verify(
            token, address=client_address(request), today=today, now=now, settings=settings
        )
