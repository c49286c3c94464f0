"""Rate-limit counts shared by every process (when Redis is not configured)."""

from piccolo.columns import DoublePrecision, Serial, Text, Varchar
from piccolo.table import Table


class RateLimit(Table):
    """The recent hits of one limited key: space-separated Unix times, oldest first."""

    id: Serial
    key = Varchar(length=200, null=False, unique=True)
    hits = Text(null=False)
    last_at = DoublePrecision(null=False)  # Unix time of the last hit, to forget idle keys
