"""Domain errors, each answered as a 4xx naming the field and a reason a clerk can act on."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One refused field. ``reason`` is the English sentence the API answers; a page shows
    ``message`` (a catalogue id, ``%(name)s`` filled from ``values``) in its own language."""

    field: str
    reason: str  # English, as the API answers
    message_id: str = ""  # the same in Indonesian, where the service words it in both
    message: str = ""  # the catalogue id; empty: the reason is its own id
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, field: str, message: str, **values: object) -> FieldProblem:
        """The problem of ``field`` from a catalogue id and the values it names."""
        reason = message % values if values else message
        return cls(field, reason, message=message, values=values)

    @property
    def catalogue_id(self) -> str:
        """What a page translates: the catalogue id, else the reason itself."""
        return self.message or self.reason


class DomainError(Exception):
    """A request the registry refuses; nothing has been written."""

    status_code = 422

    def __init__(self, field: str, reason: str, *more: FieldProblem, **values: object) -> None:
        """``reason`` is a catalogue id, its ``%(name)s`` placeholders filled from ``values``
        (pages translate the id, then fill it in)."""
        first = FieldProblem.of(field, reason, **values)
        super().__init__(first.reason)
        self.problems = [first, *more]

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> DomainError:
        first, *rest = problems
        error = cls(first.field, first.reason, *rest)
        error.problems[0] = first  # keeps its catalogue id and values
        return error

    def refiled(self, field_of: Callable[[str], str]) -> DomainError:
        """The same refusal (its kind, reasons, catalogue ids and values) under the fields
        ``field_of`` names: a caller's own names for the fields of a service it called."""
        return type(self).of(
            [dataclasses.replace(p, field=field_of(p.field)) for p in self.problems]
        )

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
