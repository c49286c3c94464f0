"""Every setting of the registry, read from the environment in this one place.

Each setting is an environment variable ``TKA_<NAME>``; the default is documented next to it and
in the README. Immigration thresholds are settings too, with the value from
``shared/domain.md`` as the default, because regulations change.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///tka_registry.sqlite3"
LOG_FORMATS = ("text", "json")

# Wilayah kerja of Kantor Imigrasi Kelas I TPI Palembang (office news coverage 2018-2024;
# Musi Rawas and Musi Rawas Utara named in a 2026 news item), see shared/domain.md.
DEFAULT_REGENCIES = (
    "Kota Palembang",
    "Kota Prabumulih",
    "Kabupaten Ogan Komering Ilir",
    "Kabupaten Ogan Ilir",
    "Kabupaten Banyuasin",
    "Kabupaten Musi Banyuasin",
    "Kabupaten Musi Rawas",
    "Kabupaten Musi Rawas Utara",
)

# State-owned banks accepted for Second Home proof of funds (SE IMI-0740.GR.01.01/2022).
DEFAULT_STATE_BANKS = ("Bank Mandiri", "BNI", "BRI", "BTN")


@dataclass(frozen=True)
class Settings:
    """The registry's configuration. Build it with :func:`load_settings`."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    data_dir: Path = Path(".")
    language: str = "id"
    cookie_secure: bool = False
    debug: bool = False
    token_lifetime_minutes: int = 8 * 60
    session_lifetime_minutes: int = 8 * 60
    signin_max_failures: int = 5
    signin_lockout_minutes: int = 15
    max_request_body_bytes: int = 10 * 1024 * 1024
    upload_max_bytes: int = 5 * 1024 * 1024
    # The holder's photo (printed on the permit): a JPEG or PNG of at most this size.
    photo_max_bytes: int = 2 * 1024 * 1024
    regencies: tuple[str, ...] = DEFAULT_REGENCIES
    # Extension may be filed from 30 days before expiry (imigrasi.go.id extension table).
    extension_window_days: int = 30
    # PP 40/2023: ITAS up to 10 years in total; E23 work: at most 6 years (imigrasi.go.id).
    itas_total_max_years: int = 10
    work_itas_total_max_years: int = 6
    # ITAP valid 5 years (UU 6/2011 art. 54 as amended; imigrasi.go.id).
    itap_validity_years: int = 5
    # PP 28/2019: Rp 1,000,000 per overstay day; beyond 60 days deportation (UU 6/2011 art. 78).
    overstay_fine_per_day_idr: int = 1_000_000
    overstay_deportation_days: int = 60
    # Second Home (SE IMI-0740.GR.01.01/2022).
    second_home_min_passport_months: int = 36
    second_home_min_funds_idr: int = 2_000_000_000
    second_home_proof_deadline_days: int = 90
    second_home_state_banks: tuple[str, ...] = DEFAULT_STATE_BANKS
    # Alerts (issue 7).
    smtp_url: str = "smtp://127.0.0.1:25"
    mail_from: str = "noreply@imigrasi-palembang.go.id"
    office_email: str = ""
    alert_stages_days: tuple[int, ...] = (90, 60, 30, 14, 7, 0)
    overstay_reminder_every_days: int = 7
    alerts_at: str = ""
    # Notifications (issue 19): the office hears of new submissions at most this often.
    submission_digest_minutes: int = 60
    # Days before a Second Home proof deadline to remind the holder (SE IMI-0740.GR.01.01/2022).
    second_home_proof_stages_days: tuple[int, ...] = (30, 14, 7, 0)
    # Public permit verifications allowed per client address and minute (issue 4).
    verify_rate_limit_per_minute: int = 30
    # Sign-in attempts (page and API) allowed per client address and minute, on top of the
    # per-account lockout.
    signin_rate_limit_per_minute: int = 20
    # Decision letters (issue 20): the office's code and the letter number pattern, with the
    # fields {office}, {kind} (SETUJU / TOLAK), {year} and {sequence} (gapless per year, per
    # kind when the pattern names {kind}); Python format syntax, e.g. {sequence:04d}.
    office_code: str = "W9.IMI.IMI.1"
    letter_number_pattern: str = "{office}-GR.01.01-{kind}.{sequence:04d}/{year}"
    # Rate-limit counts shared by every process: Redis when set (redis://host:6379/0), else
    # the database.
    redis_url: str = ""
    # PostgreSQL: a statement is cancelled after this long, and a request waits at most
    # db_acquire_timeout_ms for a pooled connection; then it answers 503.
    db_statement_timeout_ms: int = 15000
    db_acquire_timeout_ms: int = 5000
    db_pool_size: int = 10
    # Public /track look-ups of one register number per hour, whichever addresses they come
    # from (register numbers are sequential; this bounds passport guesses per case).
    track_lookups_per_case_per_hour: int = 10
    # A page session unused this long ends (OWASP ASVS 3.3.2), besides its lifetime.
    session_idle_minutes: int = 30
    # Reverse proxies whose X-Forwarded-For / Forwarded headers are believed: addresses or
    # networks, comma-separated. Empty: the headers are ignored.
    trusted_proxies: tuple[str, ...] = ()
    # Logs: ``text`` (uvicorn's access lines) or ``json`` (one JSON line per request with its
    # id, route, status, duration, account and client address; every other line JSON too).
    log_format: str = "text"
    # The Bearer token Prometheus sends to /metrics; empty: /metrics answers 404.
    metrics_token: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _as_bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _as_tuple(text: str, kind: type = str) -> tuple[Any, ...]:
    separator = ";" if ";" in text else ","
    return tuple(kind(part.strip()) for part in text.split(separator) if part.strip())


def _convert(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return _as_bool(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return _as_tuple(raw, type(default[0]) if default else str)
    return raw


def sqlite_path(database_url: str) -> Path | None:
    """The file of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL, else None."""
    if not database_url.startswith("sqlite:///"):
        return None
    return Path(database_url.removeprefix("sqlite:///"))


def _secret_key_beside(database_url: str, data_dir: Path) -> str:
    """Read, or create once, the secret key kept in a file beside the SQLite database."""
    database_file = sqlite_path(database_url)
    folder = database_file.parent if database_file else data_dir
    key_file = folder / ".tka_secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Mode 0600 from creation: the key is never readable by others, not even for a moment.
    handle = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w") as out:
        out.write(key)
    return key


def load_settings(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``TKA_*`` environment variables; ``overrides`` win over the environment."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    defaults = Settings()
    for spec in fields(Settings):
        raw = env.get(f"TKA_{spec.name.upper()}")
        if raw is not None and raw != "":
            values[spec.name] = _convert(raw, getattr(defaults, spec.name))
    values.update(overrides)
    settings = Settings(**values)
    if settings.log_format not in LOG_FORMATS:
        raise ValueError(
            f"TKA_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got {settings.log_format!r}"
        )
    if not settings.secret_key:
        settings = replace(
            settings, secret_key=_secret_key_beside(settings.database_url, settings.data_dir)
        )
    return settings


__all__ = ["DEFAULT_REGENCIES", "Settings", "load_settings", "sqlite_path"]
