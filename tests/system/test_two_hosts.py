"""Two ``serve`` processes on one database, each with its own empty data directory, act as one
registry: keys, stored documents, forms (issue 16). On PostgreSQL this is two hosts; on SQLite two
processes on one machine."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import PASSWORD, account, bearer
from tests.system.serving import serving, tka_env
from tka_registry.documents.tables import SigningKey


async def test_a_second_host_needs_only_the_database_and_the_secret(
    db: str, tmp_path: Path
) -> None:
    host_a = tka_env(db, tmp_path / "host-a")
    host_b = tka_env(db, tmp_path / "host-b")
    with serving(host_a) as a, serving(host_b) as b:
        async with httpx.AsyncClient(timeout=30) as http:
            async with httpx.AsyncClient(base_url=a, timeout=60) as on_a:
                officer = await bearer(on_a, await account("officer"))
                _, permit, _ = await sponsor_with_permit(on_a, officer)
                document = await on_a.get(
                    f"/api/v1/permits/{permit['id']}/document", headers=officer
                )
            assert document.status_code == 200, document.text
            (url,) = decode_qr(document.content, tmp_path)
            token_path = urlsplit(url).path
            # The other host serves the same bytes from the database.
            same = await http.get(f"{b}/api/v1/permits/{permit['id']}/document", headers=officer)
            assert same.status_code == 200 and same.content == document.content
            answer = await http.get(f"{b}/api/v1{token_path}")
            assert answer.status_code == 200 and answer.json()["outcome"] == "valid"
            keys = [(await http.get(f"{host}/verify/public-key")).text for host in (a, b)]
            assert keys[0] == keys[1] and keys[0].startswith("-----BEGIN PUBLIC KEY-----")

            # A form served by one host is accepted by the other (one CSRF secret).
            email = await account("admin")
            await http.get(f"{a}/masuk")
            token = http.cookies["tka_csrf"]
            signed = await http.post(
                f"{b}/masuk",
                data={"_csrf_token": token, "email": email, "password": PASSWORD},
            )
            assert signed.status_code == 303, signed.text
            assert (await http.get(f"{a}/beranda")).status_code == 200
    assert await SigningKey.count() == 1
    for host in ("host-a", "host-b"):
        assert list((tmp_path / host).iterdir()) == []  # nothing kept on a host's disk
