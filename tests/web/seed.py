"""A small workforce for page tests, made through the JSON API like any client would."""

from __future__ import annotations

from dataclasses import dataclass

from httpx import AsyncClient

from tests.factories import account, created, employer_body, permit_body, signed_in, worker_body


@dataclass(frozen=True)
class Workforce:
    employer_a: int
    employer_b: int
    email_a: str
    email_b: str
    # worker ids of employer A by situation on 22 November 2026 (the tests' today)
    overstay: int
    expiring: int
    active: int
    without_permit: int
    other_employers_worker: int


async def seed_workforce(client: AsyncClient) -> Workforce:
    officer = await signed_in(client, "officer")
    a = await created(
        client, "/api/v1/employers", employer_body(0, name="PT Pupuk Sriwidjaja"), officer
    )
    b = await created(
        client, "/api/v1/employers", employer_body(1, name="PT Lain Sendiri"), officer
    )

    async def worker(employer: int, name: str, nationality: str, position: str) -> int:
        body = worker_body(employer, full_name=name, nationality=nationality, position=position)
        return int((await created(client, "/api/v1/workers", body, officer))["id"])

    async def permit(worker_id: int, issued_on: str, expires_on: str) -> None:
        body = permit_body(worker_id, issued_on=issued_on, expires_on=expires_on)
        await created(client, "/api/v1/permits", body, officer)

    active = await worker(a["id"], "Arjun Sharma", "IND", "Process Engineer")
    await permit(active, "2026-06-01", "2027-05-31")
    expiring = await worker(a["id"], "Kim Min-jun", "KOR", "Plant Manager")
    await permit(expiring, "2025-12-10", "2026-12-10")
    overstay = await worker(a["id"], "Zhang Wei", "CHN", "Boiler Technician")
    await permit(overstay, "2025-11-12", "2026-11-12")
    without_permit = await worker(a["id"], "Yuki Tanaka", "JPN", "Quality Auditor")
    elsewhere = await worker(b["id"], "Liam Smith", "GBR", "Lecturer")
    await permit(elsewhere, "2026-06-01", "2027-05-31")
    return Workforce(
        employer_a=a["id"],
        employer_b=b["id"],
        email_a=await account("employer", a["id"]),
        email_b=await account("employer", b["id"]),
        overstay=overstay,
        expiring=expiring,
        active=active,
        without_permit=without_permit,
        other_employers_worker=elsewhere,
    )
