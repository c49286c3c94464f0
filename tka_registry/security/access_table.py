"""The role-by-endpoint access table, read from the routes themselves.

``python -m tka_registry.security.access_table`` prints it as Markdown;
``--write-readme`` puts it into README.md between the access-table markers. A test compares
the README with this output, so the table cannot drift from the code.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from litestar import Litestar
from litestar.routes import HTTPRoute

from tka_registry.accounts.auth import PUBLIC
from tka_registry.accounts.roles import Role

START_MARKER = "<!-- access-table:start -->"
END_MARKER = "<!-- access-table:end -->"
README = Path(__file__).resolve().parent.parent.parent / "README.md"
ROLE_ORDER = (Role.ADMIN, Role.OFFICER, Role.INTELLIGENCE, Role.EMPLOYER)
# Litestar answers OPTIONS itself on every path; those handlers have no rule and need none.
_AUTOMATIC_HANDLERS = {"options_handler"}


@dataclass(frozen=True)
class Endpoint:
    """One method on one path, and the roles its handler declares (None: no rule)."""

    method: str
    path: str
    roles: tuple[str, ...] | None
    handler: str
    # Who may call a public route after all, when the handler checks it (opt "access_note").
    note: str | None = None

    @property
    def is_public(self) -> bool:
        return self.roles is not None and PUBLIC in self.roles


def endpoints(app: Litestar) -> list[Endpoint]:
    """Every HTTP endpoint of ``app`` with its declared access rule, sorted by path, method."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if handler.handler_name in _AUTOMATIC_HANDLERS and method == "OPTIONS":
                continue
            declared = handler.opt.get("access")
            roles = tuple(str(role) for role in declared) if declared is not None else None
            note = handler.opt.get("access_note")
            found.append(Endpoint(str(method), route.path, roles, handler.handler_name, note))
    return sorted(found, key=lambda e: (e.path, e.method))


def _roles_cell(endpoint: Endpoint) -> str:
    if endpoint.roles is None:
        return "**no rule: refused to all**"
    if endpoint.is_public:
        return endpoint.note or "anyone"
    return ", ".join(role for role in ROLE_ORDER if role in endpoint.roles)


def markdown_table(app: Litestar) -> str:
    """The access table as Markdown: one row per method and path."""
    lines = ["| method | path | roles |", "|---|---|---|"]
    for endpoint in endpoints(app):
        lines.append(f"| {endpoint.method} | `{endpoint.path}` | {_roles_cell(endpoint)} |")
    return "\n".join(lines) + "\n"


def readme_table(readme_text: str) -> str | None:
    """The table currently between the markers, or None when the markers are missing."""
    start, end = readme_text.find(START_MARKER), readme_text.find(END_MARKER)
    if start < 0 or end < start:
        return None
    return readme_text[start + len(START_MARKER) : end].strip("\n") + "\n"


def with_table(readme_text: str, table: str) -> str:
    start, end = readme_text.find(START_MARKER), readme_text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {START_MARKER} and {END_MARKER}")
    return readme_text[: start + len(START_MARKER)] + "\n" + table + readme_text[end:]


def registry_app() -> Litestar:
    """The registry's app with throwaway settings: only its routes are read."""
    from tka_registry.app import create_app
    from tka_registry.settings import load_settings

    with tempfile.TemporaryDirectory(prefix="tka-access-table-") as folder:
        url = f"sqlite:///{folder}/unused.sqlite3"
        settings = load_settings(environ={}, database_url=url, secret_key=secrets.token_hex(8))
        return create_app(settings)  # the database is never opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write-readme", action="store_true", help="update README.md in place")
    arguments = parser.parse_args(argv)
    table = markdown_table(registry_app())
    if arguments.write_readme:
        README.write_text(with_table(README.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(f"wrote the access table into {README}")
    else:
        sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
