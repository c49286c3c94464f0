"""render_many across real worker processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tka_registry.documents.batch import render_many
from tka_registry.documents.render import (
    DecisionLetter,
    DocumentIncomplete,
    PermitDocument,
    render_permit,
)


@pytest.mark.slow
def test_render_many_yields_every_key_once(
    make_permit: Callable[..., PermitDocument], make_letter: Callable[..., DecisionLetter]
) -> None:
    permits = {n: make_permit(permit_number=f"2C21JD{n:04d}-AB") for n in range(4)}
    documents: list[tuple[object, PermitDocument | DecisionLetter]] = [
        *permits.items(),
        ("letter", make_letter()),
    ]
    results = dict(render_many(documents, processes=2, recycle_after=2))
    assert set(results) == {0, 1, 2, 3, "letter"}
    assert all(pdf.startswith(b"%PDF-") for pdf in results.values())
    assert results[2] == render_permit(permits[2])  # same bytes as an in-process render


def test_incomplete_document_stops_the_batch_before_rendering(
    make_permit: Callable[..., PermitDocument],
) -> None:
    documents = [("ok", make_permit()), ("bad", make_permit(passport_number=None))]
    with pytest.raises(DocumentIncomplete) as caught:
        list(render_many(documents, processes=2))
    assert caught.value.missing == ("bad.passport_number",)


def test_nothing_to_render_starts_no_pool() -> None:
    assert list(render_many([], processes=2)) == []
