"""The officer behind an account: full name, NIP and position (jabatan), checked once here.

A decision letter is signed "a.n. Kepala Kantor" by the deciding officer, with the officer's
position, name and NIP; an account without a name and a NIP cannot decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import Account
from tka_registry.errors import Conflict, FieldProblem, InvalidInput
from tka_registry.rules.nip import nip_problem, normalised_nip

MAX_NAME = 200
MAX_POSITION = 200


@dataclass(frozen=True)
class Signatory:
    """Who signs a letter, as printed under it."""

    account_id: int | None
    full_name: str
    nip: str
    position: str


def checked_identity(
    role: str, full_name: str | None, nip: str | None, position: str | None, *, today: date
) -> dict[str, Any]:
    """The stored form of an account's name, NIP and position; 422 naming each bad field.

    ``None`` leaves a field out of the answer (a change that does not touch it); "" clears it.
    """
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    if full_name is not None:
        values["full_name"] = " ".join(full_name.split())
        if len(values["full_name"]) > MAX_NAME:
            problems.append(FieldProblem("full_name", f"at most {MAX_NAME} characters"))
    if position is not None:
        values["position"] = " ".join(position.split())
        if len(values["position"]) > MAX_POSITION:
            problems.append(FieldProblem("position", f"at most {MAX_POSITION} characters"))
    if nip is not None:
        digits = normalised_nip(nip)
        values["nip"] = digits or None
        problem = nip_problem(digits, today=today) if digits else None
        if problem:
            problems.append(FieldProblem("nip", problem))
        elif digits and role == Role.EMPLOYER:
            problems.append(FieldProblem("nip", "a NIP belongs to office staff, not employers"))
    if problems:
        raise InvalidInput.of(problems)
    return values


async def check_nip_free(nip: str | None, account_id: int | None = None) -> None:
    """409 when another account already carries ``nip``."""
    if not nip:
        return
    taken = Account.exists().where(Account.nip == nip)
    if account_id is not None:
        taken = taken.where(Account.id != account_id)
    if await taken:
        raise Conflict("nip", f"another account carries NIP {nip} already")


# What a page says instead (catalogue ids), by what the account lacks.
MISSING_MESSAGES = {
    ("full name",): "Your account lacks a full name: an admin fills it in on the account"
    " (page /admin/akun) before you can decide.",
    ("NIP",): "Your account lacks a NIP: an admin fills it in on the account (page /admin/akun)"
    " before you can decide.",
    ("full name", "NIP"): "Your account lacks a full name and a NIP: an admin fills them in on"
    " the account (page /admin/akun) before you can decide.",
}
MISSING_IDENTITY = (
    "your account lacks {missing}: an admin fills them in on the account (page /admin/akun,"
    " or PATCH /api/v1/accounts/{{id}}) before you can decide"
    " / akun Anda belum memiliki {missing_id}: admin mengisinya di halaman /admin/akun"
    " sebelum Anda dapat memutuskan"
)


async def signatory_of(actor: Actor) -> Signatory:
    """The officer deciding as ``actor``; 422 (field ``officer``) when the account lacks a full
    name or a NIP, saying what to fill in."""
    row = None
    if actor.account_id is not None:
        row = (
            await Account.select(Account.full_name, Account.nip, Account.position)
            .where(Account.id == actor.account_id)
            .first()
        )
    name = (row or {}).get("full_name") or ""
    nip = (row or {}).get("nip") or ""
    missing = [en for en, value in (("full name", name), ("NIP", nip)) if not value]
    if missing:
        missing_id = " dan ".join(
            id_ for id_, value in (("nama lengkap", name), ("NIP", nip)) if not value
        )
        reason = MISSING_IDENTITY.format(missing=" and ".join(missing), missing_id=missing_id)
        problem = FieldProblem("officer", reason, message=MISSING_MESSAGES[tuple(missing)])
        raise InvalidInput.of([problem])
    return Signatory(actor.account_id, name, nip, (row or {}).get("position") or "")
