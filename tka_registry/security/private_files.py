"""Files the registry writes are readable by its own user only (OWASP ASVS 4.0.3 12.3.x).

The database, attachments, documents, kept imports and keys hold personal data or secrets. The
process's umask makes every new file 0600 and folder 0700; files that must be private whatever
the umask are opened with that mode explicitly (:func:`open_private`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

OWNER_ONLY_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600


def keep_files_private() -> None:
    """From now on this process creates files 0600 and folders 0700."""
    os.umask(OWNER_ONLY_UMASK)


def open_private(path: Path) -> BinaryIO:
    """``path`` opened for writing (created or emptied) with mode 0600 from its first byte."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    return os.fdopen(handle, "wb")


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (before SQLite opens it)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
