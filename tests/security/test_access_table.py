"""The README's access table is the one generated from the code."""

from __future__ import annotations

from litestar import Litestar

from tka_registry.security.access_table import (
    README,
    markdown_table,
    readme_table,
    registry_app,
    with_table,
)

REGENERATE = "python -m tka_registry.security.access_table --write-readme"


def test_readme_access_table_matches_the_code() -> None:
    in_readme = readme_table(README.read_text(encoding="utf-8"))
    assert in_readme is not None, f"README.md lacks the access-table markers; run {REGENERATE}"
    assert in_readme == markdown_table(registry_app()), (
        f"README.md's access table differs from the routes: run {REGENERATE}"
    )


def test_table_lists_roles_and_public_endpoints(app: Litestar) -> None:
    table = markdown_table(app)
    assert "| POST | `/api/v1/permits` | admin, officer |" in table
    assert "| GET | `/health` | anyone |" in table
    assert "OPTIONS" not in table


def test_rewriting_keeps_the_text_around_the_markers() -> None:
    text = "intro\n<!-- access-table:start -->\nold\n<!-- access-table:end -->\noutro\n"
    rewritten = with_table(text, "| new |\n")
    assert readme_table(rewritten) == "| new |\n"
    assert rewritten.startswith("intro\n") and rewritten.endswith("outro\n")
