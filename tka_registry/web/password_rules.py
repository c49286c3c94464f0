"""The pages' words for why a new password is refused (codes of accounts.passwords.PROBLEMS)."""

from __future__ import annotations

from tka_registry.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from tka_registry.web.i18n import Gettext


def new_password_message(code: str, _: Gettext) -> str:
    """The translated reason for a refused new password; an unknown code is an error."""
    messages = {
        "too_short": lambda: _(
            "Choose a password of at least %(count)s characters.", count=MIN_PASSWORD_LENGTH
        ),
        "too_long": lambda: _(
            "Choose a password of at most %(count)s characters.", count=MAX_PASSWORD_LENGTH
        ),
        "spaces": lambda: _("The password must not start or end with spaces."),
        "common": lambda: _(
            "This password is on the list of common or leaked passwords: choose another."
        ),
        "personal": lambda: _("The password must not contain your email address or name."),
        "guessable": lambda: _(
            "This password is too easy to guess: use a longer phrase of unrelated words."
        ),
    }
    return messages[code]()
