"""Roles map to the office's sections (shared/domain.md) plus the employers (sponsors)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # Seksi Teknologi Informasi dan Komunikasi Keimigrasian
    OFFICER = "officer"  # Seksi Izin Tinggal dan Status Keimigrasian
    INTELLIGENCE = "intelligence"  # Seksi Intelijen dan Penindakan Keimigrasian
    EMPLOYER = "employer"  # a sponsor, bound to one employer


OFFICE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})
READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.INTELLIGENCE, Role.EMPLOYER})


@dataclass(frozen=True)
class Actor:
    """Who is asking: the signed-in account (or the system) and the client address."""

    account_id: int | None
    email: str
    role: str
    employer_id: int | None
    address: str

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(account_id=None, email=name, role="system", employer_id=None, address="local")
