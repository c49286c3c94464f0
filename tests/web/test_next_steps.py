"""Employer pages built around the next action: each worker's step and button, forms that offer
only the workers a kind applies to, empty forms that save nothing, drafts deleted after a
confirmation."""

from __future__ import annotations

import re

import httpx

from tests.factories import bearer
from tests.web.conftest import csrf_token, sign_in_page
from tests.web.seed import Workforce, seed_workforce
from tka_registry.applications.tables import Application
from tka_registry.audit.tables import AuditEntry


def _actions(html: str) -> list[str]:
    return re.findall(r'data-next-action="([a-z_]+)"', html)


def _offered(html: str) -> set[int]:
    select = re.search(r'<select[^>]*name="worker_id".*?</select>', html, re.S)
    assert select, "the form has no worker list"
    return {int(i) for i in re.findall(r'<option value="(\d+)"', select.group(0))}


async def _employer(client: httpx.AsyncClient) -> Workforce:
    team = await seed_workforce(client)
    await sign_in_page(client, team.email_a)
    return team


async def test_dashboard_and_worker_page_show_the_next_action_with_its_button(
    client: httpx.AsyncClient,
) -> None:
    team = await _employer(client)
    board = await client.get("/portal")
    assert board.status_code == 200 and "Langkah berikutnya" in board.text
    # Rows: overstay, expiring, without a permit, valid (22 November 2026).
    assert _actions(board.text) == ["report_departure", "extend", "apply_new", "none"]
    extend = f"/portal/permohonan/baru?pekerja={team.expiring}&amp;jenis=itas_extension"
    assert extend in board.text and "Ajukan perpanjangan" in board.text
    departure = f"/portal/permohonan/baru?pekerja={team.overstay}&amp;jenis=departure_report"
    assert departure in board.text

    page = await client.get(f"/portal/pekerja/{team.expiring}")
    assert _actions(page.text) == ["extend"]
    assert "Izin dapat diperpanjang sekarang" in page.text and "10 Desember 2026" in page.text
    calm = await client.get(f"/portal/pekerja/{team.active}")
    assert _actions(calm.text) == [] and "Langkah berikutnya" not in calm.text
    english = await client.get(f"/portal/pekerja/{team.overstay}?lang=en")
    assert english.status_code == 200


async def test_forms_offer_only_the_workers_the_kind_applies_to(client: httpx.AsyncClient) -> None:
    team = await _employer(client)
    extension = await client.get("/portal/permohonan/baru?jenis=itas_extension")
    assert _offered(extension.text) == {team.expiring}  # no overstayer, none outside the window
    departure = await client.get("/portal/permohonan/baru?jenis=departure_report")
    assert _offered(departure.text) == {
        team.overstay,
        team.expiring,
        team.without_permit,
        team.active,
    }
    new = await client.get("/portal/permohonan/baru?jenis=itas_new")
    assert _offered(new.text) == {team.overstay, team.without_permit}  # no permit held
    chosen = await client.get(
        f"/portal/permohonan/baru?jenis=itas_extension&pekerja={team.expiring}"
    )
    assert f'<option value="{team.expiring}" selected' in chosen.text

    # Once an extension is open, the button follows the case and the form no longer offers it.
    token = await csrf_token(client, "/portal/permohonan/baru")
    saved = await client.post(
        "/portal/permohonan/baru",
        data={"_csrf_token": token, "kind": "itas_extension", "worker_id": str(team.expiring)},
    )
    assert saved.status_code == 303
    case_path = saved.headers["location"]
    again = await client.get("/portal/permohonan/baru?jenis=itas_extension")
    assert team.expiring not in _offered(again.text)
    board = await client.get("/portal")
    assert "follow_case" in _actions(board.text) and f'href="{case_path}"' in board.text
    # Its own edit form still names the worker.
    edit = await client.get(f"{case_path}/ubah")
    assert f'<option value="{team.expiring}" selected' in edit.text


async def test_an_empty_form_saves_nothing_and_says_why(client: httpx.AsyncClient) -> None:
    await _employer(client)
    token = await csrf_token(client, "/portal/permohonan/baru")
    for kind in ("departure_report", "itas_new"):
        empty = await client.post(
            "/portal/permohonan/baru",
            data={"_csrf_token": token, "kind": kind, "action": "save", "note": ""},
        )
        assert empty.status_code == 400
        assert empty.headers["content-type"].startswith("text/html")
        assert "Belum ada yang diisi, jadi draf tidak disimpan." in empty.text
    assert await Application.count() == 0


async def test_a_draft_is_deleted_after_a_confirmation(client: httpx.AsyncClient) -> None:
    team = await _employer(client)
    token = await csrf_token(client, "/portal/permohonan/baru")
    saved = await client.post(
        "/portal/permohonan/baru",
        data={"_csrf_token": token, "kind": "departure_report", "worker_id": str(team.active)},
    )
    case_path = saved.headers["location"]
    case_id = int(case_path.rsplit("/", 1)[1])
    assert "Hapus draf" in (await client.get(case_path)).text

    ask = await client.post(f"{case_path}/hapus", data={"_csrf_token": token})
    assert ask.status_code == 200 and ask.headers["content-type"].startswith("text/html")
    assert f"Hapus draf {case_id}?" in ask.text and "Arjun Sharma" in ask.text
    assert await Application.count() == 1  # nothing happens before the confirmation

    done = await client.post(f"{case_path}/hapus", data={"_csrf_token": token, "confirmed": "yes"})
    assert (
        done.status_code == 303 and done.headers["location"] == "/portal/permohonan?pesan=deleted"
    )
    assert "Draf telah dihapus." in (await client.get(done.headers["location"])).text
    assert await Application.count() == 0
    assert await AuditEntry.exists().where(
        (AuditEntry.action == "application.delete") & (AuditEntry.object_id == str(case_id))
    )


async def test_a_submitted_case_cannot_be_deleted(client: httpx.AsyncClient) -> None:
    team = await seed_workforce(client)
    headers = await bearer(client, team.email_a)
    body = {"kind": "departure_report", "worker_id": team.active, "departed_on": "2026-11-20"}
    draft = (await client.post("/api/v1/applications", json=body, headers=headers)).json()
    submitted = await client.post(f"/api/v1/applications/{draft['id']}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text
    refused = await client.delete(f"/api/v1/applications/{draft['id']}", headers=headers)
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "status"
    other = await bearer(client, team.email_b)
    hidden = await client.delete(f"/api/v1/applications/{draft['id']}", headers=other)
    assert hidden.status_code == 404


async def test_the_named_worker_is_offered_past_the_lists_length(
    client: httpx.AsyncClient, monkeypatch
) -> None:
    """An employer with more workers than a form lists still reaches any of them through the
    next-step button; another employer's worker named in the link is not offered."""
    from tka_registry.applications import offers

    team = await _employer(client)
    monkeypatch.setattr(offers, "FORM_WORKERS", 1)
    reports = "/portal/permohonan/baru?jenis=departure_report"
    assert len(_offered((await client.get(reports)).text)) == 1
    for worker in (team.overstay, team.expiring, team.without_permit, team.active):
        page = await client.get(f"{reports}&pekerja={worker}")
        assert f'<option value="{worker}" selected' in page.text
    foreign = await client.get(f"{reports}&pekerja={team.other_employers_worker}")
    assert foreign.status_code == 200
    assert team.other_employers_worker not in _offered(foreign.text)
