"""Employer A reaching employer B's records gets the same 404 as for a record that does not
exist: workers, permits, employers, permit documents, applications and their attachments."""

from __future__ import annotations

import httpx

from tests.applications.conftest import new_itas_body, pdf_bytes, upload
from tests.factories import account, bearer, created, employer_body, permit_body, worker_body
from tests.security.conftest import CSRF_HEADER, csrf_token

MISSING = 999999


PASSPORT = {
    "number": "E77777777",
    "issuing_country": "CHN",
    "issued_on": "2026-01-10",
    "expires_on": "2036-01-09",
}


async def _same_as_missing(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    real_id: int,
    headers: dict[str, str],
    body: dict | None = None,
) -> None:
    """A valid body, so that what answers is the ownership check, not validation."""
    options: dict = {"headers": headers}
    if method in {"POST", "PATCH"}:
        options["json"] = body or {}
    foreign = await client.request(method, path.format(id=real_id), **options)
    missing = await client.request(method, path.format(id=MISSING), **options)
    assert foreign.status_code == missing.status_code == 404, (path, foreign.text)
    assert foreign.text.replace(str(real_id), "N") == missing.text.replace(str(MISSING), "N")


async def test_employer_a_cannot_reach_employer_b(client) -> None:
    officer = await bearer(client, await account("officer"))
    employer_a = await created(client, "/api/v1/employers", employer_body(0), officer)
    employer_b = await created(client, "/api/v1/employers", employer_body(1, name="PT B"), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer_b["id"]), officer)
    permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    sponsor_a = await bearer(client, await account("employer", employer_a["id"]))
    sponsor_b = await bearer(client, await account("employer", employer_b["id"]))

    # B itself reaches all of it.
    for path in (f"/api/v1/workers/{worker['id']}", f"/api/v1/permits/{permit['id']}"):
        assert (await client.get(path, headers=sponsor_b)).status_code == 200

    for method, path, real_id, body in (
        ("GET", "/api/v1/workers/{id}", worker["id"], None),
        ("PATCH", "/api/v1/workers/{id}", worker["id"], {"address": "Jl. Lain 1"}),
        ("POST", "/api/v1/workers/{id}/passports", worker["id"], PASSPORT),
        ("GET", "/api/v1/permits/{id}", permit["id"], None),
        ("GET", "/api/v1/permits/{id}/document", permit["id"], None),
        ("GET", "/api/v1/employers/{id}", employer_b["id"], None),
    ):
        await _same_as_missing(client, method, path, real_id, sponsor_a, body)

    # Lists filtered on B's records answer nothing to A.
    for path in (
        f"/api/v1/workers?employer_id={employer_b['id']}",
        f"/api/v1/permits?employer_id={employer_b['id']}",
        f"/api/v1/permits?worker_id={worker['id']}",
    ):
        page = (await client.get(path, headers=sponsor_a)).json()
        assert page["total"] == 0 and page["items"] == [], path
    # A cannot register a worker under B either.
    move = await client.post(
        "/api/v1/workers", json=worker_body(employer_b["id"]), headers=sponsor_a
    )
    assert move.status_code in {403, 404, 422}

    # The page for B's worker in A's portal is a 404 page too.
    page = await client.get(f"/portal/pekerja/{worker['id']}", headers=sponsor_a)
    assert page.status_code == 404


async def test_employer_a_cannot_reach_employer_b_applications(client) -> None:
    officer = await bearer(client, await account("officer"))
    employer_a = await created(client, "/api/v1/employers", employer_body(0), officer)
    employer_b = await created(client, "/api/v1/employers", employer_body(1, name="PT B"), officer)
    sponsor_a = await bearer(client, await account("employer", employer_a["id"]))
    sponsor_b = await bearer(client, await account("employer", employer_b["id"]))
    case = await created(client, "/api/v1/applications", new_itas_body(), sponsor_b)
    attached = await upload(client, case["id"], sponsor_b, pdf_bytes())
    assert attached.status_code == 201, attached.text
    attachment_id = attached.json()["id"]

    for method, path, body in (
        ("GET", "/api/v1/applications/{id}", None),
        ("PATCH", "/api/v1/applications/{id}", {"position": "Boiler Engineer"}),
        ("POST", "/api/v1/applications/{id}/submit", None),
        ("GET", "/api/v1/applications/{id}/letter", None),
        ("GET", "/api/v1/applications/{id}/attachments/" + str(attachment_id), None),
    ):
        await _same_as_missing(client, method, path, case["id"], sponsor_a, body)
    upload_a = await upload(client, case["id"], sponsor_a, pdf_bytes())
    assert upload_a.status_code == 404
    listed = (await client.get("/api/v1/applications", headers=sponsor_a)).json()
    assert case["id"] not in [item["id"] for item in listed["items"]]

    # The portal pages of B's case answer A with 404 as well, forms included.
    for path in (f"/portal/permohonan/{case['id']}", f"/portal/permohonan/{case['id']}/ubah"):
        assert (await client.get(path, headers=sponsor_a)).status_code == 404
    token = await csrf_token(client)
    posted = await client.post(
        f"/portal/permohonan/{case['id']}/ajukan", headers=sponsor_a | {CSRF_HEADER: token}
    )
    assert posted.status_code == 404


async def test_a_passport_clash_names_no_worker_of_another_employer(client) -> None:
    officer = await bearer(client, await account("officer"))
    first = await created(client, "/api/v1/employers", employer_body(0), officer)
    second = await created(client, "/api/v1/employers", employer_body(1), officer)
    theirs = await created(client, "/api/v1/workers", worker_body(first["id"]), officer)
    passport = theirs["passports"][0]
    as_second = await bearer(client, await account("employer", second["id"]))
    body = worker_body(second["id"]) | {
        "passport": worker_body(None)["passport"]
        | {"number": passport["number"], "issuing_country": passport["issuing_country"]}
    }
    clash = await client.post("/api/v1/workers", json=body, headers=as_second)
    assert clash.status_code == 409
    assert f"worker {theirs['id']}" not in clash.text and "worker" not in clash.json()["detail"]
    # The office still sees whose passport it is.
    office = await client.post("/api/v1/workers", json=body, headers=officer)
    assert office.status_code == 409 and f"worker {theirs['id']}" in office.json()["detail"]
