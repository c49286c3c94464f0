"""What /track tells the public about a case, in plain words in both languages: its status, the
day of its last change and the next step, and who takes it. Nothing else about the case.
"""

from __future__ import annotations

from datetime import date

from tka_registry.applications.schemas import TrackOut
from tka_registry.choices import APPLICATION_STATUSES, SECOND_HOME_STATUSES, ChoiceSet
from tka_registry.formats import long_date

# The next step after each status of an application (the sponsor files and completes it).
APPLICATION_STEPS: dict[str, tuple[str, str]] = {
    "draft": (
        "Permohonan belum diajukan. Penjamin (pemberi kerja) melengkapi dan mengajukannya di "
        "portal.",
        "The application has not been submitted yet. The sponsor (employer) completes and "
        "submits it in the portal.",
    ),
    "submitted": (
        "Petugas kantor imigrasi sedang memeriksanya. Tidak ada yang perlu dilakukan sekarang; "
        "penjamin diberi tahu lewat email setelah ada keputusan.",
        "An immigration officer is reviewing it. Nothing is needed now; the sponsor is told by "
        "email once it is decided.",
    ),
    "returned": (
        "Petugas meminta kelengkapan. Penjamin membaca pesan petugas di portal, melengkapi "
        "permohonan, lalu mengajukannya kembali.",
        "The officer asked for more information. The sponsor reads the officer's message in "
        "the portal, completes the application and submits it again.",
    ),
    "approved": (
        "Permohonan disetujui. Penjamin mengunduh surat keputusan (dan izin tinggal, bila ada) "
        "di portal.",
        "The application was approved. The sponsor downloads the decision letter (and the "
        "stay permit, if any) in the portal.",
    ),
    "rejected": (
        "Permohonan ditolak. Alasannya tertulis di surat keputusan yang dapat diunduh penjamin "
        "di portal; permohonan baru dapat diajukan.",
        "The application was rejected. The reason is in the decision letter the sponsor can "
        "download in the portal; a new application may be filed.",
    ),
}

SECOND_HOME_STEPS: dict[str, tuple[str, str]] = {
    "draft": (
        "Petugas sedang mencatat permohonan. Tunggu sampai permohonan diajukan dan diperiksa.",
        "An officer is entering the application. Wait until it is submitted and reviewed.",
    ),
    "submitted": (
        "Petugas kantor imigrasi sedang memeriksanya. Tidak ada yang perlu dilakukan sekarang.",
        "An immigration officer is reviewing it. Nothing is needed now.",
    ),
    "rejected": (
        "Permohonan ditolak. Alasannya tertulis di surat keputusan; tanyakan ke kantor "
        "imigrasi bila perlu.",
        "The application was rejected. The reason is in the decision letter; ask the "
        "immigration office if needed.",
    ),
    "revoked": (
        "Izin Tinggal Rumah Kedua telah dicabut. Hubungi kantor imigrasi.",
        "The Second Home stay permit was revoked. Contact the immigration office.",
    ),
}


def _answer(
    register_number: str,
    status: str,
    statuses: ChoiceSet,
    changed_on: date,
    step: tuple[str, str],
) -> TrackOut:
    label = statuses[status]
    return TrackOut(
        register_number=register_number,
        status=status,
        status_label_id=label.id,
        status_label_en=label.en,
        changed_on=changed_on,
        next_step_id=step[0],
        next_step_en=step[1],
    )


def application_answer(register_number: str, status: str, changed_on: date) -> TrackOut:
    """The /track answer for an application in ``status`` since ``changed_on``."""
    APPLICATION_STATUSES.checked(status)
    return _answer(
        register_number, status, APPLICATION_STATUSES, changed_on, APPLICATION_STEPS[status]
    )


def second_home_answer(
    register_number: str,
    status: str,
    changed_on: date,
    *,
    proof_deadline: date | None,
    proof_lodged_on: date | None,
) -> TrackOut:
    """The /track answer for a Second Home case; an approved one names the proof still due
    (the bank letter or property certificate, by ``proof_deadline``) or its lodging."""
    SECOND_HOME_STATUSES.checked(status)
    if status != "approved":
        step = SECOND_HOME_STEPS[status]
    elif proof_lodged_on is not None:
        step = (
            f"Disetujui. Bukti dana atau properti diterima pada {long_date(proof_lodged_on, 'id')};"
            " tidak ada yang perlu dilakukan sekarang.",
            f"Approved. The proof of funds or property was received on "
            f"{long_date(proof_lodged_on, 'en')}; nothing is needed now.",
        )
    else:
        assert proof_deadline is not None  # an approved case has its decision day
        step = (
            "Disetujui. Serahkan surat keterangan bank atau sertifikat properti ke kantor "
            f"imigrasi paling lambat {long_date(proof_deadline, 'id')}.",
            "Approved. Bring the bank letter or the property certificate to the immigration "
            f"office by {long_date(proof_deadline, 'en')}.",
        )
    return _answer(register_number, status, SECOND_HOME_STATUSES, changed_on, step)
