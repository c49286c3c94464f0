"""Every page speaks one language: an Indonesian page shows no English words that come from the
code (labels, rule sentences, validation messages), and an English page no Indonesian ones.

Generated from the route table like tests/web/test_page_forms.py: every GET page, and every page
form posted empty and with malformed values (where validation messages appear), is rendered in
both languages on real records. The words a record holds (names, positions, addresses) are
taken out first: they are the data, shown as entered.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx
from babel.messages.pofile import read_po
from litestar import Litestar

from tests.applications.conftest import new_itas_body
from tests.factories import (
    account,
    bearer,
    created,
    employer_body,
    permit_body,
    signed_in,
    worker_body,
)
from tests.second_home.conftest import case_body
from tests.security.conftest import UNSAFE, concrete_path, is_page
from tests.web.conftest import csrf_token
from tests.web.test_page_forms import MALFORMED
from tka_registry.accounts.roles import Role
from tka_registry.security.access_table import Endpoint, endpoints
from tka_registry.settings import Settings
from tka_registry.web.i18n import LANGUAGE_NAMES, LOCALE_DIR
from tka_registry.web.layout import OFFICE_NAME

WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")

# Words of English sentences that Indonesian never uses, beside the catalogue's own words.
ENGLISH_GLUE = set(
    "the and for with should must not this that are was has have from before after until "
    "input value valid enter days field required string number please".split()
)
INDONESIAN_GLUE = set(
    "yang dan atau untuk dengan tidak belum sudah dari pada ini itu harus hari tanggal "
    "sampai berlaku masukkan isi pilih".split()
)
# Words both languages write alike, or names of things that are not translated.
SHARED = set(
    "itas itap itk kitas kitap rptka dkptka nip npwp nib mrz pdf csv xlsx wib e23 icao "
    "overstay email e-mail status total second home qr ok id".split()
)


def _catalogue_words() -> tuple[set[str], set[str]]:
    english: set[str] = set()
    indonesian: set[str] = set()
    for po_file in (LOCALE_DIR / "id" / "LC_MESSAGES").glob("*.po"):
        with po_file.open("rb") as source:
            for message in read_po(source, locale="id"):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                english |= {w.lower() for text in ids for w in WORD.findall(text or "")}
                indonesian |= {w.lower() for text in strings for w in WORD.findall(text or "")}
    return english, indonesian


def vocabularies() -> dict[str, set[str]]:
    """For each page language, the words that belong only to the other language."""
    english, indonesian = _catalogue_words()
    only_english = (english - indonesian) | ENGLISH_GLUE
    only_indonesian = (indonesian - english) | INDONESIAN_GLUE
    return {"id": only_english - SHARED, "en": only_indonesian - SHARED}


class _Text(HTMLParser):
    """The words a reader sees: text outside scripts and styles, and labels read aloud. Codes
    shown as stored (an audit action, in <code>) and anything marked translate="no" are left
    out."""

    SKIPPED = {"script", "style", "template", "code", "pre"}
    READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag:
            self._skip_depth += tag == self._skip_tag
            return
        if tag in self.SKIPPED or ("translate", "no") in attrs:
            self._skip_tag, self._skip_depth = tag, 1
            return
        self.parts += [value for name, value in attrs if name in self.READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag == tag:
            self._skip_depth -= 1
            if not self._skip_depth:
                self._skip_tag = None

    def handle_data(self, data: str) -> None:
        if not self._skip_tag:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


EMAIL = re.compile(r"\S+@\S+")


def foreign_words(text: str, data: list[str], vocabulary: set[str]) -> set[str]:
    """Words of ``text`` that belong to the other language, once ``data`` is taken out."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = EMAIL.sub(" ", text)
    return {word for word in WORD.findall(text) if word.lower() in vocabulary}


# /keluar signs out; the verification pages are bilingual by design (whoever scans a permit's QR
# code reads both languages at once).
SKIPPED_PAGES = {"/keluar", "/verify", "/verify/offline", "/verify/{token:str}"}


def _role_for(endpoint: Endpoint) -> str | None:
    if endpoint.is_public:
        return None
    order = (Role.ADMIN, Role.OFFICER, Role.EMPLOYER, Role.INTELLIGENCE)
    return next(str(role) for role in order if role in (endpoint.roles or ()))


async def _records(
    client: httpx.AsyncClient, index: int
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Real ids per path prefix, and every text value those records hold (a set of its own per
    language: the forms posted may delete a draft)."""
    officer = await signed_in(client, "officer")
    employer = await created(client, "/api/v1/employers", employer_body(index), officer)
    worker = await created(client, "/api/v1/workers", worker_body(employer["id"]), officer)
    permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    sponsor = await bearer(client, await account("employer", employer["id"]))
    draft = await created(client, "/api/v1/applications", new_itas_body(), sponsor)
    second_home = await created(client, "/api/v1/second-home", case_body(), officer)
    people = {"worker_id": str(worker["id"]), "permit_id": str(permit["id"])}
    records = {
        "/portal/": {"case_id": str(draft["id"]), **people},
        "/petugas/permohonan/": {"case_id": str(draft["id"])},
        "/petugas/rumah-kedua/": {"case_id": str(second_home["id"])},
        "/petugas/": people,
        "employer": {"employer_id": str(employer["id"])},
    }
    data = [
        str(value)
        for body in (employer, worker, worker_body(None), new_itas_body(), case_body())
        for value in _leaves(body)
        if isinstance(value, str)
    ]
    return records, data


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _proper_names(settings: Settings) -> list[str]:
    officer_position = "Kepala Seksi Izin Tinggal dan Status Keimigrasian"  # tests.factories
    return [
        OFFICE_NAME,
        officer_position,
        *LANGUAGE_NAMES.values(),
        *settings.regencies,
        *MALFORMED.values(),
    ]


async def _pages(
    client: httpx.AsyncClient, app: Litestar, records: dict[str, dict[str, str]]
) -> list[tuple[str, httpx.Response]]:
    headers_of: dict[str | None, dict[str, str]] = {None: {}}
    for role in ("admin", "officer", "intelligence"):
        headers_of[role] = await signed_in(client, role)
    headers_of["employer"] = await signed_in(
        client, "employer", int(records["employer"]["employer_id"])
    )
    answers: list[tuple[str, httpx.Response]] = []
    for endpoint in endpoints(app):
        if not is_page(endpoint) or endpoint.path in SKIPPED_PAGES:
            continue
        values = next((v for k, v in records.items() if endpoint.path.startswith(k)), {})
        path = concrete_path(endpoint.path, values)
        headers = headers_of[_role_for(endpoint)]
        if endpoint.method == "GET":
            answers.append((f"GET {path}", await client.get(path, headers=headers)))
        elif endpoint.method in UNSAFE:
            token = await csrf_token(client)
            for label, form in (("empty", {}), ("malformed", MALFORMED)):
                data = {**form, "_csrf_token": token}
                response = await client.post(path, data=data, headers=headers)
                answers.append((f"POST {path} ({label})", response))
    return answers


async def test_every_page_is_in_one_language(
    client: httpx.AsyncClient, app: Litestar, settings: Settings
) -> None:
    vocabulary = vocabularies()
    mixed: list[str] = []
    data = _proper_names(settings)
    for index, language in enumerate(("id", "en")):
        records, held = await _records(client, index)
        data += held
        client.cookies.set("tka_lang", language)
        for request, response in await _pages(client, app, records):
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            text = visible_text(response.text)
            found = foreign_words(text, data, vocabulary[language])
            if found:
                mixed.append(f"[{language}] {request}: {', '.join(sorted(found))}")
    assert not mixed, "pages with words of the other language:\n" + "\n".join(mixed)
