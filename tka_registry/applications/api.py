"""JSON API of applications, the MRZ reader and public case tracking.

``POST /api/v1/mrz/parse`` is public: it only reads the text it is sent (no registry data) and
the employer's form uses it before signing a case. ``POST /api/v1/track`` is public and
rate-limited per client address and per register number; it answers only a case's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.accounts.roles import OFFICE_ROLES, Role
from tka_registry.applications import assignment, decisions, service
from tka_registry.applications.attachments import (
    AttachmentKind,
    add_attachment,
    attachment_file,
    letter_pdf,
)
from tka_registry.applications.schemas import (
    ApplicationIn,
    ApplicationKind,
    ApplicationOut,
    ApplicationPatch,
    ApplicationStatus,
    ApplicationSummary,
    AttachmentOut,
    DecisionIn,
    MrzIn,
    MrzOut,
    TrackIn,
    TrackOut,
)
from tka_registry.dependencies import CallDep, CurrentActor, Now, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.pagination import MAX_LIMIT, Page
from tka_registry.rules import mrz
from tka_registry.rules.nationality import UnknownNationality, canonical_nationality
from tka_registry.security.rate_limits import limit_case_lookups, track_rate_limit

CASE_ROLES = (*OFFICE_ROLES, Role.EMPLOYER)
ASSIGNMENT_MOVES = {
    "take": assignment.TAKE,
    "release": assignment.RELEASE,
    "take-over": assignment.TAKE_OVER,
}
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


@dataclass
class AttachmentUpload:
    kind: str
    file: UploadFile


def mrz_fields(passport: mrz.MrzPassport) -> MrzOut:
    return MrzOut(
        surname=passport.surname,
        given_names=passport.given_names,
        full_name=passport.full_name,
        passport_number=passport.passport_number,
        nationality=passport.nationality_code or passport.nationality,
        issuing_state=passport.issuing_state_code or passport.issuing_state,
        date_of_birth=passport.date_of_birth,
        sex=passport.sex,
        expires_on=passport.expires_on,
        personal_number=passport.personal_number,
        names_truncated=passport.names_truncated,
    )


def mrz_problems_body(problems: list[mrz.MrzProblem]) -> dict[str, Any]:
    errors = [
        {
            "field": p.field,
            "reason": p.message("en"),
            "code": p.reason,
            "message_id": p.message("id"),
        }
        for p in problems
    ]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return {"status_code": 422, "detail": detail, "errors": errors}


def _nationality(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return canonical_nationality(value)
    except UnknownNationality as unknown:
        raise InvalidInput("nationality", str(unknown)) from None


class ApplicationController(Controller):
    path = "/api/v1/applications"
    tags = ["applications"]

    @post("/", opt=access(*CASE_ROLES))
    async def create(
        self,
        data: JSONBody[ApplicationIn],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> ApplicationOut:
        """Save a draft. Office staff name ``employer_id``; an employer's own is implied."""
        return await service.create_application(
            actor, data, settings=settings, today=today, now=now
        )

    @patch("/{application_id:int}", opt=access(*CASE_ROLES))
    async def edit(
        self,
        application_id: FromPath[int],
        data: JSONBody[ApplicationPatch],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> ApplicationOut:
        """Change a draft or a returned case; only the fields sent change (null empties)."""
        return await service.update_application(
            actor, application_id, data, settings=settings, today=today, now=now
        )

    @delete("/{application_id:int}", opt=access(*CASE_ROLES), status_code=204)
    async def delete_draft(
        self, application_id: FromPath[int], actor: CurrentActor, now: Now
    ) -> None:
        """Delete a draft with its attachments (409 once submitted; the audit log keeps it)."""
        await service.delete_draft(actor, application_id, now=now)

    @post("/{application_id:int}/submit", opt=access(*CASE_ROLES), status_code=200)
    async def submit(
        self,
        application_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> ApplicationOut:
        """Submit after a complete check (422 lists every problem); assigns the register number."""
        return await service.submit_application(
            actor, application_id, settings=settings, today=today, now=now
        )

    @get("/", opt=access(*CASE_ROLES))
    async def list_applications(
        self,
        actor: CurrentActor,
        today: Today,
        kind: FromQuery[ApplicationKind | None] = None,
        status: FromQuery[ApplicationStatus | None] = None,
        nationality: Annotated[str | None, QueryParameter(max_length=60)] = None,
        employer_id: FromQuery[int | None] = None,
        min_age_days: Annotated[int | None, QueryParameter(ge=0, le=36500)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ApplicationSummary]:
        """Office: the queue, oldest submission first. Employer: its own cases, newest first."""
        filters = service.ApplicationFilters(
            kind=kind.value if kind else None,
            status=status.value if status else None,
            nationality=_nationality(nationality),
            employer_id=employer_id,
            min_age_days=min_age_days,
        )
        return await service.list_applications(
            actor, filters, limit=limit, offset=offset, today=today
        )

    @get("/{application_id:int}", opt=access(*CASE_ROLES))
    async def read(
        self,
        application_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> ApplicationOut:
        return await service.get_application(actor, application_id, settings=settings, today=today)

    @post(
        [f"/{{application_id:int}}/{move}" for move in ASSIGNMENT_MOVES],
        opt=access(*OFFICE_ROLES),
        status_code=200,
    )
    async def assignment(
        self, request: Request[Any, Any, Any], application_id: FromPath[int], call: CallDep
    ) -> ApplicationOut:
        """``take`` the submitted case ("ambil"; 409 naming the officer who already has it),
        ``release`` one this officer has taken, or ``take-over`` one another officer has
        ("ambil alih", when that officer is absent: in the history and audit with both names).
        Only the officer who has a case decides it."""
        move = ASSIGNMENT_MOVES[request.url.path.rstrip("/").rsplit("/", 1)[-1]]
        await assignment.move_case(
            move, call.actor, application_id, now=call.now, settings=call.settings
        )
        return await service.get_application(
            call.actor, application_id, settings=call.settings, today=call.today
        )

    @post("/{application_id:int}/decision", opt=access(*OFFICE_ROLES), status_code=200)
    async def decide(
        self,
        application_id: FromPath[int],
        data: JSONBody[DecisionIn],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> ApplicationOut:
        """approve (issues the permit / applies the change), reject or return, with a message;
        409 ``assigned_to`` naming the officer when another one has taken the case."""
        return await decisions.decide(
            actor, application_id, data, settings=settings, today=today, now=now
        )

    @post("/{application_id:int}/attachments", opt=access(*CASE_ROLES))
    async def upload(
        self,
        application_id: FromPath[int],
        data: Annotated[AttachmentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        actor: CurrentActor,
        settings: SettingsDep,
        now: Now,
    ) -> AttachmentOut:
        """Multipart ``kind`` + ``file``: PDF, JPEG or PNG judged by content, within the limit."""
        try:
            kind = AttachmentKind(data.kind)
        except ValueError:
            known = ", ".join(k.value for k in AttachmentKind)
            raise InvalidInput("kind", f'unknown attachment kind "{data.kind}": {known}') from None
        content = await data.file.read()
        return await add_attachment(
            actor, application_id, kind, content, settings=settings, now=now
        )

    @get("/{application_id:int}/attachments/{attachment_id:int}", opt=access(*CASE_ROLES))
    async def download(
        self,
        application_id: FromPath[int],
        attachment_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
    ) -> Response[bytes]:
        """The file, to the case's employer and to officers/admins only (others 404)."""
        content, content_type, filename = await attachment_file(
            actor, application_id, attachment_id, settings=settings
        )
        headers = {**FILE_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(content, media_type=content_type, headers=headers)

    @get("/{application_id:int}/letter", opt=access(*CASE_ROLES), media_type="application/pdf")
    async def letter(
        self, application_id: FromPath[int], actor: CurrentActor, settings: SettingsDep
    ) -> Response[bytes]:
        """The decision letter (PDF) of an approved or rejected case; 404 before a decision."""
        pdf = await letter_pdf(actor, application_id, settings=settings)
        headers = {
            **FILE_HEADERS,
            "Content-Disposition": f'attachment; filename="keputusan-{application_id}.pdf"',
        }
        return Response(pdf, media_type="application/pdf", headers=headers)


class MrzController(Controller):
    path = "/api/v1/mrz"
    tags = ["applications"]

    @post("/parse", opt=access(PUBLIC), status_code=200)
    async def parse(self, data: JSONBody[MrzIn], today: Today) -> Response[Any]:
        """Public: the fields of a TD3 passport MRZ, or 422 naming every failed check."""
        try:
            passport = mrz.parse_td3(data.mrz, today=today)
        except mrz.MrzError as error:
            return Response(mrz_problems_body(error.problems), status_code=422)
        return Response(mrz_fields(passport).model_dump(mode="json"), media_type=MediaType.JSON)


class TrackController(Controller):
    path = "/api/v1/track"
    tags = ["applications"]

    @post("/", opt=access(PUBLIC), guards=[track_rate_limit], status_code=200)
    async def track(self, request: Request[Any, Any, Any], data: JSONBody[TrackIn]) -> TrackOut:
        """Public: the status of the case with both numbers (404 when they do not match).
        A POST, so the passport number stays out of URLs and access logs."""
        await limit_case_lookups(request, data.register_number)
        return await service.track(data.register_number, data.passport_number)
