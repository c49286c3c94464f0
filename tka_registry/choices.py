"""Every choice list of the registry, each in one place with its Indonesian and English label.

Shaped like NetBox's ``ChoiceSet``: a value as stored, the label in Bahasa Indonesia, the label
in English, and the tag colour a page shows it with. Pages, documents, emails and exports read
their labels here; an unknown value is an error naming the field, never printed as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tka_registry.errors import FieldProblem, InvalidInput

LANGUAGES = ("id", "en")


class UnknownChoice(InvalidInput):
    """A value that is not one of its list's choices (422, naming the field)."""

    @classmethod
    def of_value(cls, choice_set: ChoiceSet, value: object) -> FieldProblem:
        """The field and reason refusing ``value``."""
        reason = f"unknown {choice_set.noun} {value!r}: one of {', '.join(choice_set.values)}"
        return FieldProblem(choice_set.field, reason)


@dataclass(frozen=True)
class Choice:
    value: str
    id: str  # the label in Bahasa Indonesia
    en: str  # the label in English
    tag: str = "none"  # the colour class of a tag on pages (tag--<tag> in app.css)

    def label(self, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}: id or en")
        return self.en if language == "en" else self.id

    @property
    def pair(self) -> tuple[str, str]:
        """(Indonesian, English), the order documents print them in."""
        return self.id, self.en


class ChoiceSet:
    """The choices of one field, in their order of display."""

    def __init__(self, field: str, noun: str, *choices: Choice) -> None:
        self.field = field
        self.noun = noun  # how a refusal names the list, e.g. "permit kind"
        self.choices = choices
        self._by_value = {choice.value: choice for choice in choices}
        if len(self._by_value) != len(choices):
            raise ValueError(f"{field}: a value appears twice")

    def __getitem__(self, value: str) -> Choice:
        choice = self._by_value.get(value)
        if choice is None:
            problem = UnknownChoice.of_value(self, value)
            raise UnknownChoice(problem.field, problem.reason)
        return choice

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    def checked(self, value: str) -> str:
        """``value`` when it is one of the choices; else :class:`UnknownChoice`."""
        return self[value].value

    def __iter__(self) -> Iterator[Choice]:
        return iter(self.choices)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self._by_value)

    def label(self, value: str, language: str) -> str:
        return self[value].label(language)

    def pair(self, value: str) -> tuple[str, str]:
        return self[value].pair

    def options(self, language: str) -> list[tuple[str, str]]:
        """(value, label) for a form's select, in order."""
        return [(choice.value, choice.label(language)) for choice in self.choices]

    def __add__(self, other: ChoiceSet) -> ChoiceSet:
        return ChoiceSet(self.field, self.noun, *self.choices, *other.choices)


# UU 6/2011 arts. 48-60: ITK visit, ITAS limited and ITAP permanent stay permits.
PERMIT_KINDS = ChoiceSet(
    "kind",
    "permit kind",
    Choice("ITK", "Izin Tinggal Kunjungan", "Visit Stay Permit"),
    Choice("ITAS", "Izin Tinggal Terbatas", "Limited Stay Permit"),
    Choice("ITAP", "Izin Tinggal Tetap", "Permanent Stay Permit"),
)

# A permit's derived status (permits.state); "none": the worker holds no permit.
PERMIT_STATUSES = ChoiceSet(
    "status",
    "permit status",
    Choice("not_yet_valid", "Belum berlaku", "Not yet in force", "not_yet_valid"),
    Choice("active", "Berlaku", "Valid", "active"),
    Choice("expiring", "Segera berakhir", "Expiring soon", "expiring"),
    Choice("expired", "Overstay", "Overstay", "expired"),
    Choice("revoked", "Dicabut", "Revoked", "revoked"),
    Choice("superseded", "Diganti", "Superseded", "superseded"),
    Choice("none", "Tanpa izin", "No permit", "none"),
)

# What a worker list filters on: a permit status, or every permit in force (active or expiring).
WORKER_STATUSES = PERMIT_STATUSES + ChoiceSet(
    "status",
    "worker status",
    Choice(
        "valid", "Berlaku (termasuk segera berakhir)", "In force (expiring soon included)", "active"
    ),
)

APPLICATION_KINDS = ChoiceSet(
    "kind",
    "application kind",
    Choice("itas_new", "ITAS baru (bekerja, E23)", "New ITAS (work, E23)"),
    Choice("itas_extension", "Perpanjangan ITAS", "ITAS extension"),
    Choice("change_report", "Laporan perubahan", "Change report"),
    Choice("departure_report", "Laporan keberangkatan", "Departure report"),
)

# What a decision letter decides: an application, or a Second Home case (PP 48/2021 art. 103).
DECIDED_KINDS = APPLICATION_KINDS + ChoiceSet(
    "kind",
    "decided kind",
    Choice("second_home", "Izin Tinggal Rumah Kedua (E33)", "Second Home stay permit (E33)"),
)

APPLICATION_STATUSES = ChoiceSet(
    "status",
    "application status",
    Choice("draft", "Draf", "Draft", "none"),
    Choice("submitted", "Diajukan", "Submitted", "expiring"),
    Choice(
        "returned", "Dikembalikan untuk dilengkapi", "Returned for more information", "expiring"
    ),
    Choice("approved", "Disetujui", "Approved", "active"),
    Choice("rejected", "Ditolak", "Rejected", "expired"),
)

SECOND_HOME_STATUSES = ChoiceSet(
    "status",
    "Second Home case status",
    Choice("draft", "Draf", "Draft", "none"),
    Choice("submitted", "Diajukan", "Submitted", "expiring"),
    Choice("approved", "Disetujui", "Approved", "active"),
    Choice("rejected", "Ditolak", "Rejected", "expired"),
    Choice("revoked", "Dicabut", "Revoked", "revoked"),
)

# The files a case carries (PP 34/2021: RPTKA approval and the DKPTKA fee paid in advance).
ATTACHMENT_KINDS = ChoiceSet(
    "kind",
    "attachment kind",
    Choice("passport_page", "Halaman data paspor", "Passport data page"),
    Choice("rptka", "Pengesahan RPTKA", "RPTKA approval"),
    Choice("dkptka", "Bukti bayar DKPTKA", "DKPTKA payment proof"),
    Choice("photo", "Pas foto", "Photo"),
)

# The office's sections (shared/domain.md) and the sponsors.
ROLES = ChoiceSet(
    "role",
    "role",
    Choice("admin", "Admin (Seksi TIK)", "Administrator (IT section)"),
    Choice("officer", "Petugas izin tinggal", "Stay permit officer"),
    Choice("intelligence", "Petugas intelijen", "Intelligence officer"),
    Choice("employer", "Penjamin (pemberi kerja)", "Employer (sponsor)"),
)
# Who an audit entry names: an account's role, or the registry itself (scheduled work).
ACTOR_ROLES = ROLES + ChoiceSet(
    "role",
    "role",
    Choice("system", "Sistem", "System"),
    Choice("anonymous", "Tanpa akun", "Not signed in"),
)

# ICAO Doc 9303 part 4 sex codes; the registry records M or F (workers.schemas.Sex).
SEXES = ChoiceSet(
    "sex",
    "sex",
    Choice("M", "Laki-laki", "Male"),
    Choice("F", "Perempuan", "Female"),
)

# Relations of a Second Home dependant to the principal (SE IMI-0740.GR.01.01/2022).
RELATIONS = ChoiceSet(
    "relation",
    "relation",
    Choice("spouse", "Suami/Istri", "Spouse"),
    Choice("child", "Anak", "Child"),
    Choice("parent", "Orang tua", "Parent"),
)

# What a change report changes (UU 6/2011 art. 71).
CHANGE_KINDS = ChoiceSet(
    "change",
    "kind of change",
    Choice("address", "Alamat tempat tinggal", "Residential address"),
    Choice("position", "Jabatan", "Position"),
    Choice("civil_status", "Status sipil", "Civil status"),
    Choice("passport", "Penggantian paspor", "Passport renewal"),
)

CIVIL_STATUSES = ChoiceSet(
    "civil_status",
    "civil status",
    Choice("single", "Belum kawin", "Single"),
    Choice("married", "Kawin", "Married"),
    Choice("divorced", "Cerai hidup", "Divorced"),
    Choice("widowed", "Cerai mati", "Widowed"),
)

# Business sectors (KBLI 2020 sections) as the registry's records name them.
SECTORS = ChoiceSet(
    "sector",
    "sector",
    Choice("agriculture", "Pertanian", "Agriculture"),
    Choice("plantation", "Perkebunan", "Plantation"),
    Choice("fisheries", "Perikanan", "Fisheries"),
    Choice("mining", "Pertambangan", "Mining"),
    Choice("oil and gas", "Minyak dan gas bumi", "Oil and gas"),
    Choice("manufacturing", "Industri pengolahan", "Manufacturing"),
    Choice("pulp and paper", "Industri pulp dan kertas", "Pulp and paper"),
    Choice("fertiliser", "Industri pupuk", "Fertiliser"),
    Choice("shipbuilding", "Industri perkapalan", "Shipbuilding"),
    Choice("energy", "Energi", "Energy"),
    Choice("power plant", "Pembangkit listrik", "Power plant"),
    Choice("construction", "Konstruksi", "Construction"),
    Choice("trade", "Perdagangan", "Trade"),
    Choice("transport", "Transportasi", "Transport"),
    Choice("hospitality", "Perhotelan", "Hospitality"),
    Choice("information technology", "Teknologi informasi", "Information technology"),
    Choice("finance", "Jasa keuangan", "Finance"),
    Choice("education", "Pendidikan", "Education"),
    Choice("language school", "Lembaga kursus bahasa", "Language school"),
    Choice("health", "Kesehatan", "Health"),
    Choice("services", "Jasa", "Services"),
)


def _folded(text: str) -> str:
    return " ".join(text.lower().split())


_SECTOR_WORDS = {_folded(word): c for c in SECTORS for word in (c.value, c.id, c.en)}


def sector_pair(sector: str) -> tuple[str, str]:
    """(Indonesian, English) of an employer's sector written as its value or in either language
    (``mining``, ``Pertambangan``). An employer's sector is free text on its record, so one not
    listed is shown as typed."""
    choice = _SECTOR_WORDS.get(_folded(sector))
    return choice.pair if choice else (sector, sector)


# Every list by the name templates use for it (``choices.permit_status[value]``).
ALL: dict[str, ChoiceSet] = {
    "permit_kind": PERMIT_KINDS,
    "permit_status": PERMIT_STATUSES,
    "worker_status": WORKER_STATUSES,
    "application_kind": APPLICATION_KINDS,
    "decided_kind": DECIDED_KINDS,
    "application_status": APPLICATION_STATUSES,
    "second_home_status": SECOND_HOME_STATUSES,
    "attachment_kind": ATTACHMENT_KINDS,
    "role": ROLES,
    "actor_role": ACTOR_ROLES,
    "sex": SEXES,
    "relation": RELATIONS,
    "change_kind": CHANGE_KINDS,
    "civil_status": CIVIL_STATUSES,
    "sector": SECTORS,
}


class LanguageChoices:
    """One list's labels in one language, as a page reads them: ``[value]`` and ``options()``."""

    def __init__(self, choice_set: ChoiceSet, language: str) -> None:
        self.choice_set = choice_set
        self.language = language
        self._labels = {c.value: c.label(language) for c in choice_set}

    def __getitem__(self, value: str) -> str:
        label = self._labels.get(value)
        return label if label is not None else self.choice_set.label(value, self.language)

    def __contains__(self, value: object) -> bool:
        return value in self.choice_set

    def tag(self, value: str) -> str:
        return self.choice_set[value].tag

    def options(self) -> list[tuple[str, str]]:
        return self.choice_set.options(self.language)


def in_language(language: str) -> dict[str, LanguageChoices]:
    """Every list's labels in ``language``, by name: what a page's templates see as ``choices``."""
    return {name: LanguageChoices(choice_set, language) for name, choice_set in ALL.items()}
