"""The employer's application pages: forms per kind (draft, edit, submit), the MRZ box,
attachments and the case's tracking page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from pydantic import ValidationError

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Actor, Role
from tka_registry.applications import service
from tka_registry.applications.attachments import (
    add_attachment,
    attachment_file,
    letter_pdf,
    remove_attachment,
)
from tka_registry.applications.checklist import (
    AttachmentKind,
    label,
    required_documents,
)
from tka_registry.applications.completeness import SubmitRefused
from tka_registry.applications.forms import as_form, detail_values, mrz_disagreements, mrz_fill
from tka_registry.applications.offers import form_context
from tka_registry.applications.schemas import (
    ApplicationIn,
    ApplicationKind,
    ApplicationOut,
    ApplicationPatch,
    ChangeKind,
)
from tka_registry.choices import ATTACHMENT_KINDS
from tka_registry.dependencies import CallDep, CurrentActor, Now, SettingsDep, Today
from tka_registry.documents.service import current_document, download_permit_document
from tka_registry.errors import DomainError, NotFound
from tka_registry.settings import Settings
from tka_registry.web.confirmation import confirmation, confirmed
from tka_registry.web.forms import FormErrors, domain_problems, form_values, validation_problems
from tka_registry.web.i18n import language_of, translator

BASE = "/portal/permohonan"


def problems_of(error: DomainError, request: Request[Any, Any, Any]) -> FormErrors:
    """A refusal as field messages in the page's language: a submission's problems as the
    completeness check words them in both, any other through the catalogue."""
    if isinstance(error, SubmitRefused):
        language = language_of(request)
        problems: FormErrors = {}
        for problem in error.bilingual:
            text = problem.message_id if language == "id" else problem.message_en
            problems.setdefault(problem.field, text)
        return problems
    return domain_problems(error, translator(request))


async def letter_of(case: ApplicationOut) -> Any:
    kind = "approval" if case.status == "approved" else "rejection"
    return await current_document(kind=kind, application_id=case.id)


async def case_page(
    request: Request[Any, Any, Any],
    actor: Actor,
    case_id: int,
    settings: Settings,
    today: date,
    *,
    template: str = "applications/case.html",
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    case = await service.get_application(actor, case_id, settings=settings, today=today)
    return Template(
        template_name=template,
        context={
            "case": case,
            "errors": errors or {},
            "values": values or {},
            "letter": await letter_of(case),
            "attachment_kinds": [(choice.value, choice.pair) for choice in ATTACHMENT_KINDS],
            "documents": documents_of(case, language_of(request)),
            "clerk": actor.is_employer,
            "language": language_of(request),
            "notice": request.query_params.get("pesan", ""),
            "base": BASE if template == "applications/case.html" else "/petugas/permohonan",
        },
        status_code=status_code,
    )


def documents_of(case: ApplicationOut, language: str) -> list[dict[str, Any]]:
    """The case's checklist: each required document, and whether one is attached."""
    attached = {item.kind for item in case.attachments}
    return [
        {"kind": doc.value, "label": label(doc, language), "present": doc.value in attached}
        for doc in required_documents(case.kind, case.details.change)
    ]


FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def file_response(content: bytes, content_type: str, filename: str) -> Response[bytes]:
    headers = {**FILE_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=content_type, headers=headers)


async def attachment_download(
    actor: Actor, case_id: int, attachment_id: int, settings: Settings
) -> Response[bytes]:
    return file_response(*await attachment_file(actor, case_id, attachment_id, settings=settings))


async def letter_download(actor: Actor, case_id: int, settings: Settings) -> Response[bytes]:
    pdf = await letter_pdf(actor, case_id, settings=settings)
    return file_response(pdf, "application/pdf", f"keputusan-{case_id}.pdf")


async def permit_download(
    actor: Actor, case_id: int, settings: Settings, now: datetime
) -> Response[bytes]:
    """The stored document of the permit the case issued (404 before approval)."""
    row = await service.application_row(actor, case_id)
    if row["permit_id"] is None:
        raise NotFound("permit", "this application has not issued a permit")
    pdf, filename = await download_permit_document(
        actor, row["permit_id"], settings=settings, now=now
    )
    return file_response(pdf, "application/pdf", filename)


def _redirect(path: str) -> Redirect:
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


class ApplicationPages(Controller):
    path = BASE
    include_in_schema = False

    @get("/", opt=access(Role.EMPLOYER))
    async def cases(
        self, request: Request[Any, Any, Any], actor: CurrentActor, today: Today
    ) -> Template:
        page = await service.list_applications(
            actor, service.ApplicationFilters(), limit=200, offset=0, today=today
        )
        return Template(
            template_name="applications/list.html",
            context={
                "cases": page.items,
                "kinds": [k.value for k in ApplicationKind],
                "notice": request.query_params.get("pesan", ""),
            },
        )

    @get("/baru", opt=access(Role.EMPLOYER))
    async def new(
        self,
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        kind: Annotated[str, QueryParameter(name="jenis")] = "itas_new",
        worker_id: Annotated[int | None, QueryParameter(name="pekerja", ge=1)] = None,
        change: Annotated[str | None, QueryParameter(name="change", max_length=20)] = None,
    ) -> Template:
        """A new form of ``jenis``; a worker page's next-step button names the worker (and,
        for a new passport, the change)."""
        if kind not in set(ApplicationKind):
            kind = ApplicationKind.ITAS_NEW.value
        # The named worker is offered even past the list's first FORM_WORKERS (an employer
        # with thousands of workers follows the dashboard's next-step button to it).
        context = await form_context(actor, kind, settings, today, keep=worker_id)
        values = {"worker_id": str(worker_id)} if worker_id else {}
        if change in set(ChangeKind) and kind == ApplicationKind.CHANGE_REPORT:
            values["change"] = str(change)
        return Template(
            template_name="applications/form.html",
            context={**context, "values": values, "errors": {}, "case": None},
        )

    @post("/baru", opt=access(Role.EMPLOYER))
    async def create(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template | Redirect:
        values = await form_values(request)
        kind = values.get("kind", "")
        if kind not in set(ApplicationKind):
            kind = ApplicationKind.ITAS_NEW.value
        return await self._save(request, actor, None, kind, values, settings, today, now)

    @get("/{case_id:int}", opt=access(Role.EMPLOYER))
    async def show(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
    ) -> Template:
        return await case_page(request, actor, case_id, settings, today)

    @get("/{case_id:int}/lampiran/{attachment_id:int}", opt=access(Role.EMPLOYER))
    async def attachment(
        self,
        case_id: FromPath[int],
        attachment_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
    ) -> Response[bytes]:
        return await attachment_download(actor, case_id, attachment_id, settings)

    @get("/{case_id:int}/surat", opt=access(Role.EMPLOYER))
    async def letter(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep
    ) -> Response[bytes]:
        return await letter_download(actor, case_id, settings)

    @get("/{case_id:int}/izin", opt=access(Role.EMPLOYER))
    async def permit_document(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, now: Now
    ) -> Response[bytes]:
        return await permit_download(actor, case_id, settings, now)

    @get("/{case_id:int}/ubah", opt=access(Role.EMPLOYER))
    async def edit(
        self, case_id: FromPath[int], actor: CurrentActor, settings: SettingsDep, today: Today
    ) -> Template:
        case = await service.get_application(actor, case_id, settings=settings, today=today)
        keep = case.details.worker_id
        context = await form_context(actor, case.kind.value, settings, today, keep=keep)
        return Template(
            template_name="applications/form.html",
            context={**context, "values": as_form(case.details), "errors": {}, "case": case},
        )

    @post("/{case_id:int}/ubah", opt=access(Role.EMPLOYER))
    async def update(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template | Redirect:
        case = await service.get_application(actor, case_id, settings=settings, today=today)
        values = await form_values(request)
        return await self._save(request, actor, case, case.kind.value, values, settings, today, now)

    async def _save(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        case: ApplicationOut | None,
        kind: str,
        values: dict[str, str],
        settings: Settings,
        today: date,
        now: Any,
    ) -> Template | Redirect:
        """Read the MRZ (button "Baca MRZ") or save the draft; re-render on any problem."""
        _ = translator(request)
        language = language_of(request)
        notice = ""
        if values.get("action") == "mrz":
            values, errors = mrz_fill(values, today, language)
            if "mrz" not in errors:
                notice = _("The passport fields were filled from the MRZ. Check them, then save.")
        elif not any(detail_values(values).values()):
            # "Simpan draf" on an empty form: an empty draft helps nobody and could not be told
            # apart from the others.
            errors = {_first_field(kind): _("Nothing was filled in, so no draft was saved.")}
        else:
            errors = mrz_disagreements(values, today, language)
            if not errors:
                try:
                    fields = detail_values(values)
                    if case is None:
                        model = ApplicationIn.model_validate({**fields, "kind": kind})
                        saved = await service.create_application(
                            actor, model, settings=settings, today=today, now=now
                        )
                    else:
                        patch = ApplicationPatch.model_validate(fields)
                        saved = await service.update_application(
                            actor, case.id, patch, settings=settings, today=today, now=now
                        )
                except ValidationError as error:
                    errors = validation_problems(error, _)
                except DomainError as error:
                    errors = problems_of(error, request)
                else:
                    return _redirect(f"{BASE}/{saved.id}")
        keep = case.details.worker_id if case else None
        context = await form_context(actor, kind, settings, today, keep=keep)
        return Template(
            template_name="applications/form.html",
            context={**context, "values": values, "errors": errors, "case": case, "notice": notice},
            status_code=400 if errors else 200,
        )

    @post("/{case_id:int}/lampiran", opt=access(Role.EMPLOYER))
    async def upload(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template | Redirect:
        _ = translator(request)
        form = await request.form()
        kind, upload = form.get("kind", ""), form.get("file")
        replaces = str(form.get("replaces") or "")
        errors: FormErrors = {}
        if kind not in set(AttachmentKind):
            errors["kind"] = _("Choose one of the options.")
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors["file"] = _("Choose a PDF, JPEG or PNG file.")
        if replaces and not replaces.isdigit():
            errors["file"] = _("The attachment to replace is not on this case.")
        if not errors:
            assert isinstance(upload, UploadFile)
            content = await upload.read()
            try:
                added = await add_attachment(
                    actor,
                    case_id,
                    AttachmentKind(kind),
                    content,
                    settings=settings,
                    now=now,
                    file_name=upload.filename,
                    replaces=int(replaces) if replaces else None,
                )
            except DomainError as error:
                if error.status_code == 404 and error.problems[0].field == "id":
                    raise
                errors = {"file": _upload_message(error, _, settings.upload_max_bytes)}
            else:
                notice = "?pesan=identical" if added.identical_to else ""
                return _redirect(f"{BASE}/{case_id}{notice}#lampiran")
        return await case_page(
            request,
            actor,
            case_id,
            settings,
            today,
            errors=errors,
            values={"kind": str(kind)},
            status_code=400,
        )

    @post("/{case_id:int}/lampiran/{attachment_id:int}/hapus", opt=access(Role.EMPLOYER))
    async def remove(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        attachment_id: FromPath[int],
        call: CallDep,
    ) -> Template | Redirect:
        """Take an attachment off the case before it is submitted."""
        try:
            await remove_attachment(call.actor, case_id, attachment_id, now=call.now)
        except DomainError as error:
            if error.status_code == 404:
                raise
            _ = translator(request)
            errors = {"file": _("Attachments can change only before the case is submitted.")}
            return await case_page(
                request, call.actor, case_id, call.settings, call.today, errors=errors,
                status_code=409,
            )  # fmt: skip
        return _redirect(f"{BASE}/{case_id}#lampiran")

    @post("/{case_id:int}/hapus", opt=access(Role.EMPLOYER))
    async def delete(
        self, request: Request[Any, Any, Any], case_id: FromPath[int], call: CallDep
    ) -> Template | Redirect:
        """Delete a draft, after a page saying what will happen."""
        _ = translator(request)
        actor, settings, today = call.actor, call.settings, call.today
        case = await service.get_application(actor, case_id, settings=settings, today=today)
        if not confirmed(await form_values(request)):
            files = len(case.attachments)
            return confirmation(
                title=_("Delete draft %(id)s?", id=case.id),
                consequences=[
                    _(
                        "The draft for %(name)s and its %(files)s attached files are deleted.",
                        name=case.person_name or "–",
                        files=files,
                    ),
                    _("This cannot be undone; the audit log keeps that the draft existed."),
                ],
                action=f"{BASE}/{case_id}/hapus",
                values={},
                confirm=_("Yes, delete the draft"),
                back=f"{BASE}/{case_id}",
            )
        try:
            await service.delete_draft(actor, case_id, now=call.now)
        except DomainError as error:
            if error.status_code == 404:
                raise
            return await case_page(
                request,
                actor,
                case_id,
                settings,
                today,
                errors={"status": _("Only a draft can be deleted.")},
                status_code=409,
            )
        return _redirect(f"{BASE}?pesan=deleted")

    @post("/{case_id:int}/ajukan", opt=access(Role.EMPLOYER))
    async def submit(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[int],
        actor: CurrentActor,
        settings: SettingsDep,
        today: Today,
        now: Now,
    ) -> Template | Redirect:
        try:
            await service.submit_application(
                actor, case_id, settings=settings, today=today, now=now
            )
        except DomainError as error:
            if error.status_code == 404:
                raise
            errors = problems_of(error, request)
            return await case_page(
                request, actor, case_id, settings, today, errors=errors, status_code=400
            )
        return _redirect(f"{BASE}/{case_id}?pesan=submitted")


def _first_field(kind: str) -> str:
    """The field an empty form's message stands beside: the worker, or a new person's name."""
    return "surname" if kind == ApplicationKind.ITAS_NEW else "worker_id"


def _upload_message(error: DomainError, _: Any, max_bytes: int) -> str:
    """Why an upload was refused, in the page language."""
    reason = error.problems[0].reason
    if error.problems[0].field == "attachment_id":
        return _("The attachment to replace is not on this case.")
    if "empty" in reason:
        return _("The file is empty.")
    if "limit" in reason:
        megabytes = f"{max_bytes / 1024 / 1024:g}"
        return _("The file is larger than the limit of %(size)s MB.", size=megabytes)
    if "PDF, JPEG or PNG" in reason:
        return _("The file is not a PDF, JPEG or PNG (judged by its content).")
    return _("The file cannot be added now.")
