"""The choice lists: every value of every enum has both labels; an unknown value is refused."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest

from tka_registry import choices
from tka_registry.accounts.roles import Role
from tka_registry.applications.attachments import AttachmentKind
from tka_registry.applications.schemas import (
    ApplicationKind,
    ApplicationStatus,
    ChangeKind,
    CivilStatus,
)
from tka_registry.choices import UnknownChoice
from tka_registry.rules.permits import PermitKind, PermitSpan, PermitStatus
from tka_registry.second_home.schemas import CaseStatus

ENUMS: list[tuple[choices.ChoiceSet, type[StrEnum], set[str]]] = [
    (choices.PERMIT_KINDS, PermitKind, set()),
    (choices.PERMIT_STATUSES, PermitStatus, {"none"}),
    (choices.APPLICATION_KINDS, ApplicationKind, set()),
    (choices.APPLICATION_STATUSES, ApplicationStatus, set()),
    (choices.SECOND_HOME_STATUSES, CaseStatus, set()),
    (choices.ATTACHMENT_KINDS, AttachmentKind, set()),
    (choices.ROLES, Role, set()),
    (choices.CHANGE_KINDS, ChangeKind, set()),
    (choices.CIVIL_STATUSES, CivilStatus, set()),
]


@pytest.mark.parametrize(("choice_set", "enum", "extra"), ENUMS, ids=lambda v: str(v)[:40])
def test_every_enum_value_has_one_choice(
    choice_set: choices.ChoiceSet, enum: type[StrEnum], extra: set[str]
) -> None:
    assert set(choice_set.values) == {member.value for member in enum} | extra


@pytest.mark.parametrize("name", sorted(choices.ALL))
def test_every_choice_has_both_labels(name: str) -> None:
    for choice in choices.ALL[name]:
        assert choice.id.strip() and choice.en.strip(), (name, choice.value)
        assert choice.label("id") == choice.id and choice.label("en") == choice.en


def test_sexes_match_the_schema() -> None:
    from typing import get_args

    from tka_registry.workers.schemas import Sex

    assert set(choices.SEXES.values) == set(get_args(Sex))


def test_an_unknown_value_is_refused_with_the_field_and_reason() -> None:
    with pytest.raises(UnknownChoice) as refused:
        choices.PERMIT_KINDS["KITAS"]
    problem = refused.value.problems[0]
    assert problem.field == "kind"
    assert problem.reason == "unknown permit kind 'KITAS': one of ITK, ITAS, ITAP"
    assert refused.value.status_code == 422
    with pytest.raises(UnknownChoice):
        choices.APPLICATION_STATUSES.label("revoked", "id")


def test_an_unknown_permit_kind_in_a_chain_is_an_error_not_a_skipped_check() -> None:
    with pytest.raises(UnknownChoice) as refused:
        PermitSpan("KITAS", "E23C", date(2026, 1, 1), date(2026, 12, 31))
    assert refused.value.problems[0].field == "kind"


def test_page_labels_in_each_language() -> None:
    indonesian, english = choices.in_language("id"), choices.in_language("en")
    assert indonesian["permit_status"]["not_yet_valid"] == "Belum berlaku"
    assert english["permit_status"]["not_yet_valid"] == "Not yet in force"
    assert indonesian["role"].options()[0] == ("admin", "Admin (Seksi TIK)")
    assert english["application_status"].tag("approved") == "active"
    with pytest.raises(UnknownChoice):
        indonesian["sex"]["X"]


def test_a_sector_is_read_in_either_language_and_an_unlisted_one_shown_as_typed() -> None:
    assert choices.sector_pair(" Mining ") == ("Pertambangan", "Mining")
    assert choices.sector_pair("pertambangan") == ("Pertambangan", "Mining")
    assert choices.sector_pair("pulp and paper") == ("Industri pulp dan kertas", "Pulp and paper")
    assert choices.sector_pair("Budidaya mutiara") == ("Budidaya mutiara", "Budidaya mutiara")


def test_every_worker_list_status_has_labels() -> None:
    from tka_registry.workers.queries import WORKER_STATUSES

    assert set(WORKER_STATUSES) <= set(choices.WORKER_STATUSES.values)
