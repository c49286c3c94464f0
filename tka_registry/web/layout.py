"""What frames every page: the office name, each role's home and main navigation, safe returns.

Navigation labels are message ids; the template translates them with ``_()``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from jinja2 import pass_context
from jinja2.runtime import Context

from tka_registry.accounts.roles import Actor, Role

OFFICE_NAME = "Kantor Imigrasi Kelas I TPI Palembang"
SIGN_IN_PATH = "/masuk"


def N_(message: str) -> str:  # the gettext convention for "translate later"
    """Mark a message id for the catalogue; it is translated where it is shown."""
    return message


# Each role's main navigation: (path, label). A business area adds its pages here.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.EMPLOYER: [
        ("/portal", N_("Foreign workers")),
        ("/portal/permohonan", N_("Applications")),
        ("/portal/pengingat", N_("Reminders")),
    ],
    Role.OFFICER: [
        ("/petugas", N_("Officer home")),
        ("/petugas/cari", N_("Find a person")),
        ("/petugas/overstay", N_("Overstay")),
        ("/petugas/impor", N_("Import workers")),
        ("/petugas/permohonan", N_("Review queue")),
        ("/petugas/rumah-kedua", N_("Second Home")),
        ("/petugas/belum-lengkap", N_("Records to complete")),
    ],
    Role.ADMIN: [
        ("/beranda", N_("Home")),
        ("/intelijen", N_("Intelligence dashboard")),
        ("/audit", N_("Audit log")),
        ("/admin/akun", N_("User management")),
        ("/pengingat", N_("Reminder ledger")),
    ],
    Role.INTELLIGENCE: [
        ("/beranda", N_("Home")),
        ("/intelijen", N_("Intelligence dashboard")),
        ("/petugas/overstay", N_("Overstay")),
    ],
}

HOMES: dict[str, str] = {Role.EMPLOYER: "/portal", Role.OFFICER: "/petugas"}


def home_path(actor: Actor | None) -> str:
    """Where an account lands after signing in; the sign-in page for nobody."""
    if actor is None:
        return SIGN_IN_PATH
    return HOMES.get(actor.role, "/beranda")


@pass_context
def nav_links(context: Context) -> list[dict[str, Any]]:
    """The signed-in account's navigation, the current section marked."""
    request = context.get("request")
    actor: Actor | None = request.scope.get("user") if request is not None else None
    if actor is None:
        return []
    path = request.url.path
    entries = NAVIGATION.get(actor.role, [])
    matching = [href for href, _ in entries if path == href or path.startswith(href + "/")]
    # Only the most specific match is current (e.g. /portal/permohonan, not /portal as well).
    current = max(matching, key=len, default=None)
    return [{"href": href, "label": label, "current": href == current} for href, label in entries]


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target or len(target) > 2000:
        return default
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
