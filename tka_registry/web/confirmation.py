"""The confirmation step of an action that cannot be undone: a page saying what will happen."""

from __future__ import annotations

from litestar.response import Template


def confirmation(
    *,
    title: str,
    consequences: list[str],
    action: str,
    values: dict[str, str],
    confirm: str,
    back: str,
) -> Template:
    """A page that says what will happen and asks once more; its form posts ``values`` again
    to ``action`` with ``confirmed=yes``."""
    return Template(
        template_name="workers/confirm.html",
        context={
            "title": title,
            "consequences": consequences,
            "action": action,
            "values": values,
            "confirm": confirm,
            "back": back,
        },
    )


def confirmed(values: dict[str, str]) -> bool:
    """Whether the form came from the confirmation page."""
    return values.get("confirmed") == "yes"
