"""Where the folders the registry reads at run time are, in a checkout and when installed.

``templates/`` and ``migrations/`` sit beside the package in the repository (the layout the
design card fixes), and inside it in a built wheel, since a wheel cannot put them at the top of
``site-packages``: ``setup.py`` copies them to ``tka_registry/templates`` and
``tka_registry/migrations`` when it builds. ``static/`` and ``locale/`` are inside the package
everywhere (package data in ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_folder(name: str) -> Path:
    """The folder ``name`` inside the installed package, else beside the package (a checkout:
    ``PYTHONPATH`` or an editable install); neither is an install without it, refused here
    rather than at the first page or migration."""
    for folder in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if folder.is_dir():
            return folder
    raise RuntimeError(
        f"{name}/ is neither in {PACKAGE_DIR} nor beside it: reinstall tka-registry from a wheel"
        " built by its setup.py (pip install <checkout>), see docs/deploy.md"
    )


TEMPLATES_DIR = shipped_folder("templates")
MIGRATIONS_DIR = shipped_folder("migrations")
STATIC_DIR = PACKAGE_DIR / "static"
LOCALE_DIR = PACKAGE_DIR / "locale"
