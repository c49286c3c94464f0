"""Domain errors, each answered as a 4xx naming the field and a reason a clerk can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str  # English, as the API answers
    message_id: str = ""  # the same in Indonesian, where the service words it in both


class DomainError(Exception):
    """A request the registry refuses; nothing has been written."""

    status_code = 422

    def __init__(self, field: str, reason: str, *more: FieldProblem) -> None:
        super().__init__(reason)
        self.problems = [FieldProblem(field, reason), *more]

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> DomainError:
        first, *rest = problems
        return cls(first.field, first.reason, *rest)

    @property
    def detail(self) -> str:
        return "; ".join(f"{p.field}: {p.reason}" for p in self.problems)


class InvalidInput(DomainError):
    """The values break a rule (422)."""

    status_code = 422


class Conflict(DomainError):
    """The values clash with what the registry holds: a duplicate or a stale reference (409)."""

    status_code = 409


class NotFound(DomainError):
    """No such record, or none this account may see: both answer the same 404."""

    status_code = 404


class Refused(DomainError):
    """The account may not do this (403)."""

    status_code = 403
