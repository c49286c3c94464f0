"""Connects the higher areas to the events of the lower ones, in one place.

Called by every way in: the app factory, the command line and the tests. Connecting twice
changes nothing.
"""

from __future__ import annotations


def connect_areas() -> None:
    """A permit's paper is rendered when it is issued; a Second Home principal's permit is
    revoked only with its case."""
    from tka_registry.documents.service import document_after_issue
    from tka_registry.permits import events
    from tka_registry.second_home.commitment import principal_permit_refusal

    events.on_permit_issued(document_after_issue)
    events.on_revocation(principal_permit_refusal)
