"""Blobs of stored files and uploads waiting for a confirmation."""

from piccolo.columns import Bytea, Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class FileBlob(Table):
    """The bytes of one distinct file (a document, an attachment, a proof), by SHA-256.

    Rows elsewhere point to a blob by its ``sha256``; identical files share one blob. A blob is
    written in the same transaction as the row that points to it.
    """

    id: Serial
    sha256 = Varchar(length=64, null=False, unique=True)
    size_bytes = Integer(null=False)
    content = Bytea(null=False)
    created_at = Timestamptz(null=False)


class PendingUpload(Table):
    """An uploaded file kept between a dry run and its confirmation (the import page)."""

    id: Serial
    token = Varchar(length=32, null=False, unique=True)
    file_name = Varchar(length=200, null=False)
    size_bytes = Integer(null=False)
    content = Bytea(null=False)
    account_id = Integer(null=True, default=None)
    created_at = Timestamptz(null=False)
