"""Health check for load balancers and operators."""

from __future__ import annotations

from litestar import get
from litestar.response import Response

from tka_registry.accounts.auth import PUBLIC, access
from tka_registry.employers.tables import Employer


@get("/health", opt=access(PUBLIC), tags=["system"])
async def health() -> Response[dict[str, str]]:
    """200 when the database answers, 503 when it does not."""
    try:
        await Employer.raw("SELECT 1")
    except Exception as error:
        return Response(
            {"status": "unavailable", "database": type(error).__name__}, status_code=503
        )
    return Response({"status": "ok", "database": "ok"})
