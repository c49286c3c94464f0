"""The admins' view of the audit log: filters, paging and the CSV export."""

from __future__ import annotations

import codecs
import csv
import io

from tests.factories import account, bearer, created, employer_body, signed_in
from tka_registry.audit.service import check_chain


async def _journal(client) -> tuple[dict[str, str], str, dict]:
    """An officer creates and edits an employer; answers admin headers, officer email, employer."""
    officer_email = await account("officer")
    officer = await bearer(client, officer_email)
    employer = await created(client, "/api/v1/employers", employer_body(0), officer)
    change = {"address": '=HYPERLINK("http://jahat")'}
    response = await client.patch(
        f"/api/v1/employers/{employer['id']}", json=change, headers=officer
    )
    assert response.status_code == 200, response.text
    return await signed_in(client, "admin"), officer_email, employer


async def test_filters_by_actor_object_and_action(client) -> None:
    admin, officer_email, employer = await _journal(client)
    page = (await client.get(f"/api/v1/audit?actor={officer_email}", headers=admin)).json()
    actions = [item["action"] for item in page["items"]]
    assert actions == ["employer.update", "employer.create", "signin"]  # newest first
    assert {item["actor"] for item in page["items"]} == {officer_email}

    query = f"object_type=employer&object_id={employer['id']}&action=employer.update"
    page = (await client.get(f"/api/v1/audit?{query}", headers=admin)).json()
    assert page["total"] == 1
    details = page["items"][0]["details"]
    assert details["after"]["address"].startswith("=HYPERLINK")

    page = (await client.get("/api/v1/audit?action=employer.", headers=admin)).json()
    assert page["total"] == 2


async def test_date_range_is_in_jakarta_days_and_pages(client) -> None:
    admin, _, _ = await _journal(client)
    everything = (await client.get("/api/v1/audit?limit=2", headers=admin)).json()
    assert everything["limit"] == 2 and len(everything["items"]) == 2
    assert everything["total"] >= 5
    second = (await client.get("/api/v1/audit?limit=2&offset=2", headers=admin)).json()
    assert {i["sequence"] for i in second["items"]}.isdisjoint(
        {i["sequence"] for i in everything["items"]}
    )
    # Entries carry the wall-clock time; a window far in the past holds none of them.
    old = await client.get("/api/v1/audit?since=2020-01-01&until=2020-12-31", headers=admin)
    assert old.status_code == 200 and old.json()["total"] == 0
    backwards = await client.get("/api/v1/audit?since=2026-11-22&until=2026-11-01", headers=admin)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "until"
    bad_day = await client.get("/api/v1/audit?since=kemarin", headers=admin)
    assert bad_day.status_code == 400


async def test_csv_export_has_bom_guards_formulas_and_is_audited(client) -> None:
    admin, officer_email, _ = await _journal(client)
    response = await client.get(f"/api/v1/audit/export.csv?actor={officer_email}", headers=admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["sequence", "at", "actor"]
    assert [row[5] for row in rows[1:]] == ["signin", "employer.create", "employer.update"]
    assert all(row[2] == officer_email for row in rows[1:])
    # The details JSON starts with "{", but a field value may not start a cell as a formula.
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    log = (await client.get("/api/v1/audit?action=audit.export", headers=admin)).json()
    assert log["total"] == 1
    check = await check_chain()
    assert check.broken is None
