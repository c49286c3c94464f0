"""Workers (the persons) and their passports: a renewed passport is a new row of the same worker."""

from piccolo.columns import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.query import OrderByRaw
from piccolo.table import Table

from tka_registry.employers.tables import Employer


class Worker(Table):
    id: Serial
    full_name = Varchar(length=200, null=False)
    # Lower case without accents, so a name search ignores both (rules.nationality.fold).
    name_folded = Varchar(length=200, null=False)
    sex = Varchar(length=1, null=False)
    date_of_birth = Date(default=None, null=False)
    place_of_birth = Varchar(length=120, null=False)
    nationality = Varchar(length=3, null=False)
    address = Text(null=False)
    regency = Varchar(length=100, null=False)
    position = Varchar(length=150, null=False)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    # The permit at the head of the worker's chain; kept in the same transaction as the permits
    # (permits.current).
    current_permit_id = Integer(null=True, default=None)
    # The current permit's last day, None when there is none or it was revoked: a copy kept by
    # permits.current.refresh_current_permits, so counts of valid permits need no join.
    permit_valid_until = Date(null=True, default=None)
    # The same permit's first valid day (a permit may be issued before it begins).
    permit_valid_from = Date(null=True, default=None)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)


class Passport(Table):
    id: Serial
    worker = ForeignKey(Worker, null=False, on_delete=OnDelete.restrict)
    number = Varchar(length=20, null=False)
    issuing_country = Varchar(length=3, null=False)
    # None when the office's records lack the date: shown "to complete", never guessed.
    issued_on = Date(default=None, null=True)
    expires_on = Date(default=None, null=True)
    created_at = Timestamptz(null=False)


# Order passports by expiry with the undated ones (incomplete records) below every dated one,
# the same on both engines (PostgreSQL sorts NULL first in descending order, SQLite last):
# newest first is ``.order_by(UNDATED_LAST).order_by(Passport.expires_on, ascending=False)``,
# oldest first ``.order_by(UNDATED_FIRST).order_by(Passport.expires_on)``.
UNDATED_LAST = OrderByRaw("expires_on IS NULL")
UNDATED_FIRST = OrderByRaw("expires_on IS NOT NULL")
