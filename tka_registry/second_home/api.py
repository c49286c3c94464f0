"""JSON API of Second Home cases (officers and admins decide; intelligence reads; the public
tracks a case by register number and passport number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.accounts.roles import OFFICE_ROLES, Role
from tka_registry.applications.schemas import TrackIn
from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
from tka_registry.documents.service import read_document
from tka_registry.errors import InvalidInput, NotFound
from tka_registry.pagination import MAX_LIMIT, Page
from tka_registry.second_home import commitment, decision, service
from tka_registry.second_home.conflicts import second_home_conflicts
from tka_registry.second_home.schemas import (
    CaseIn,
    CaseOut,
    CasePatch,
    CaseStatus,
    CaseSummary,
    ConflictOut,
    DecisionIn,
    ProofKind,
    RevocationIn,
    TrackOut,
)
from tka_registry.security.rate_limits import limit_case_lookups, track_rate_limit

# Intelligence watches Second Home holders (conflicts, overdue proofs) but decides nothing.
CASE_READERS = (*OFFICE_ROLES, Role.INTELLIGENCE)


@dataclass
class ProofForm:
    """The lodged proof: ``kind`` bank_letter | property_certificate, ``lodged_on`` YYYY-MM-DD."""

    kind: str
    lodged_on: str
    file: UploadFile


def proof_fields(form: ProofForm) -> tuple[ProofKind, date]:
    try:
        kind = ProofKind(form.kind.strip())
    except ValueError:
        raise InvalidInput("kind", "one of bank_letter, property_certificate") from None
    try:
        lodged_on = date.fromisoformat(form.lodged_on.strip())
    except ValueError:
        raise InvalidInput("lodged_on", "a date as YYYY-MM-DD") from None
    return kind, lodged_on


class SecondHomeController(Controller):
    path = "/api/v1/second-home"
    tags = ["second home"]

    @post("/", opt=access(*OFFICE_ROLES))
    async def create(
        self, data: JSONBody[CaseIn], actor: CurrentActor, settings: SettingsDep, today: Today,
        now: Now,
    ) -> CaseOut:  # fmt: skip
        """Enter a case (draft, or submitted with ``submit``); rules are checked at approval."""
        return await service.create_case(actor, data, settings=settings, today=today, now=now)

    @get("/", opt=access(*CASE_READERS))
    async def list_cases(
        self,
        settings: SettingsDep,
        today: Today,
        status: FromQuery[CaseStatus | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[CaseSummary]:
        return await service.list_cases(
            status=status.value if status else None, q=q, limit=limit, offset=offset,
            today=today, settings=settings,
        )  # fmt: skip

    @get("/overdue", opt=access(*CASE_READERS))
    async def overdue(
        self,
        settings: SettingsDep,
        today: Today,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[CaseSummary]:
        """The officers' action list: approved cases past the 90-day proof deadline."""
        return await commitment.overdue_cases(
            limit=limit, offset=offset, today=today, settings=settings
        )

    @get("/conflicts", opt=access(*CASE_READERS))
    async def conflicts(self, today: Today) -> list[ConflictOut]:
        """Holders also listed as an employer's worker, or holding another valid permit."""
        return await second_home_conflicts(today)

    # Shares the public /track lookups' per-address budget (applications.api).
    @post("/track", opt=access(PUBLIC), guards=[track_rate_limit], status_code=200)
    async def track(
        self, request: Request[Any, Any, Any], data: JSONBody[TrackIn], settings: SettingsDep
    ) -> TrackOut:
        """The status of a case, the day of its last change and the next step (Indonesian and
        English), for its register number with one of its passport numbers (a POST: the
        passport number stays out of URLs and logs)."""
        await limit_case_lookups(request, data.register_number)
        found = await service.track_second_home(
            data.register_number,
            data.passport_number,
            proof_days=settings.second_home_proof_deadline_days,
        )
        if found is None:
            raise NotFound("register_number", "no case with this register and passport number")
        return found

    @get("/{case_id:int}", opt=access(*CASE_READERS))
    async def read(self, case_id: FromPath[int], settings: SettingsDep, today: Today) -> CaseOut:
        """The case with each rule met or not met and the figure it compared."""
        return await service.get_case(case_id, settings=settings, today=today)

    @patch("/{case_id:int}", opt=access(*OFFICE_ROLES))
    async def update(
        self, case_id: FromPath[int], data: JSONBody[CasePatch], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> CaseOut:  # fmt: skip
        """Change an open case (draft or submitted)."""
        return await service.update_case(
            actor, case_id, data, settings=settings, today=today, now=now
        )

    @post("/{case_id:int}/decision", opt=access(*OFFICE_ROLES), status_code=HTTP_200_OK)
    async def decide(
        self, case_id: FromPath[int], data: JSONBody[DecisionIn], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> CaseOut:  # fmt: skip
        """Approve (422 naming each unmet rule) or reject (with a reason)."""
        return await decision.decide_case(
            actor, case_id, data, settings=settings, today=today, now=now
        )

    @post("/{case_id:int}/proof", opt=access(*OFFICE_ROLES), status_code=HTTP_200_OK)
    async def lodge_proof(
        self, case_id: FromPath[int], data: MultipartBody[ProofForm], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> CaseOut:  # fmt: skip
        """Lodge the bank letter or property certificate (PDF, JPEG or PNG) within 90 days."""
        kind, lodged_on = proof_fields(data)
        content = await data.file.read(settings.upload_max_bytes + 1)
        return await commitment.lodge_proof(
            actor, case_id, kind=kind, lodged_on=lodged_on, content=content,
            settings=settings, today=today, now=now,
        )  # fmt: skip

    @get("/{case_id:int}/proof", opt=access(*CASE_READERS))
    async def proof(self, case_id: FromPath[int], settings: SettingsDep) -> Response[bytes]:
        content, media_type = await commitment.proof_file(case_id, settings)
        return Response(content, media_type=media_type)

    @post("/{case_id:int}/revocation", opt=access(*OFFICE_ROLES), status_code=HTTP_200_OK)
    async def revoke(
        self, case_id: FromPath[int], data: JSONBody[RevocationIn], actor: CurrentActor,
        settings: SettingsDep, today: Today, now: Now,
    ) -> CaseOut:  # fmt: skip
        """Revoke the principal's permit and every dependant's, in one transaction."""
        return await commitment.revoke_case(
            actor, case_id, revoked_on=data.revoked_on, reason=data.reason,
            settings=settings, today=today, now=now,
        )  # fmt: skip

    @get("/{case_id:int}/approval-letter", opt=access(*OFFICE_ROLES))
    async def approval_letter(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> Response[bytes]:
        """The approval letter PDF (rendered and stored the first time it is missing)."""
        stored = await decision.approval_letter(actor, case_id, settings=settings, now=now)
        pdf = await read_document(stored)
        filename = f"persetujuan-rumah-kedua-{case_id}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
