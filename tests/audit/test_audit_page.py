"""The admins' audit page: filters, the CSV link it offers, and refusal for other roles."""

from __future__ import annotations

import codecs

from tests.factories import account, bearer, created, employer_body, signed_in


async def test_audit_page_filters_and_offers_the_csv(client) -> None:
    officer_email = await account("officer")
    officer = await bearer(client, officer_email)
    await created(client, "/api/v1/employers", employer_body(0), officer)
    admin = await signed_in(client, "admin")

    page = await client.get(f"/audit/?actor={officer_email}&action=employer.", headers=admin)
    assert page.status_code == 200
    assert "employer.create" in page.text and "signin" not in page.text.split("<tbody>")[1]
    assert "/audit/unduh.csv?actor=" in page.text
    assert 'href="/audit"' in page.text  # the admin's navigation links the page

    export = await client.get(f"/audit/unduh.csv?actor={officer_email}", headers=admin)
    assert export.status_code == 200
    assert export.content.startswith(codecs.BOM_UTF8)
    assert export.text.count("\r\n") == 3  # header, signin, employer.create

    wrong_day = await client.get("/audit/?since=kemarin", headers=admin)
    assert wrong_day.status_code == 400
    assert "YYYY-MM-DD" in wrong_day.text or "TTTT-BB-HH" in wrong_day.text

    assert (await client.get("/audit/", headers=officer)).status_code == 403
    anonymous = await client.get("/audit/", headers={})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
