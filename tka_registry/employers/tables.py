"""Employers: the sponsors (penjamin) of foreign workers (UU 6/2011 arts. 63, 71)."""

from piccolo.columns import Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class Employer(Table):
    id: Serial
    name = Varchar(length=200, null=False)
    # None for an employer created from a sheet that named it only: to be completed (issue 18).
    nib = Varchar(length=13, unique=True, null=True, default=None)
    npwp = Varchar(length=16, unique=True, null=True, default=None)
    address = Text(null=False)
    regency = Varchar(length=100, index=True, null=False)
    sector = Varchar(length=100, null=False)
    email = Varchar(length=254, null=False, default="")
    phone = Varchar(length=40, null=False, default="")
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
