"""The documents each kind of case needs: one table, read by the case page's checklist, the
form, and the rule checks (a missing document is an unmet check)."""

from __future__ import annotations

from enum import StrEnum

from tka_registry.applications.schemas import ApplicationKind, ChangeKind
from tka_registry.choices import ATTACHMENT_KINDS


class AttachmentKind(StrEnum):
    """The values of choices.ATTACHMENT_KINDS, as the code names them."""

    PASSPORT_PAGE = "passport_page"  # the passport's data page
    RPTKA = "rptka"  # approved foreign-worker utilisation plan (PP 34/2021)
    DKPTKA = "dkptka"  # proof of the DKPTKA compensation fee payment (PP 34/2021)
    PHOTO = "photo"  # the holder's photo, printed on the permit


_WORK_PERMIT = (
    AttachmentKind.PASSPORT_PAGE,
    AttachmentKind.RPTKA,
    AttachmentKind.DKPTKA,
    AttachmentKind.PHOTO,
)

# shared/domain.md: a worker's permit needs an approved RPTKA and the DKPTKA fee paid in
# advance (PP 34/2021); the permit prints the holder's data and photo, and the passport must
# cover it. An extension is a new permit on the same grounds (the RPTKA and DKPTKA for the new
# period). A change report carries the document of what changed: the new passport's data page,
# or the RPTKA naming the new position (UU 6/2011 art. 71). A departure needs none.
REQUIRED: dict[ApplicationKind, tuple[AttachmentKind, ...]] = {
    ApplicationKind.ITAS_NEW: _WORK_PERMIT,
    ApplicationKind.ITAS_EXTENSION: _WORK_PERMIT,
    ApplicationKind.CHANGE_REPORT: (),
    ApplicationKind.DEPARTURE_REPORT: (),
}
REQUIRED_FOR_CHANGE: dict[ChangeKind, tuple[AttachmentKind, ...]] = {
    ChangeKind.PASSPORT: (AttachmentKind.PASSPORT_PAGE,),
    ChangeKind.POSITION: (AttachmentKind.RPTKA,),
    ChangeKind.ADDRESS: (),
    ChangeKind.CIVIL_STATUS: (),
}


def required_documents(
    kind: ApplicationKind, change: ChangeKind | None = None
) -> tuple[AttachmentKind, ...]:
    """The documents a case of ``kind`` (and, for a change report, ``change``) must carry."""
    if kind == ApplicationKind.CHANGE_REPORT and change is not None:
        return REQUIRED_FOR_CHANGE[change]
    return REQUIRED[kind]


def missing_documents(
    kind: ApplicationKind, change: ChangeKind | None, attached: set[str] | frozenset[str]
) -> list[AttachmentKind]:
    """The required documents not among the ``attached`` kinds, in the table's order."""
    return [doc for doc in required_documents(kind, change) if doc.value not in attached]


def label(kind: str, language: str) -> str:
    """The document's name in ``language`` (tka_registry.choices)."""
    return ATTACHMENT_KINDS.label(kind, language)
