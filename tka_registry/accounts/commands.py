"""``users create``: accounts from the command line, the password read from standard input."""

from __future__ import annotations

import argparse
import sys

from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.service import create_account
from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.errors import DomainError
from tka_registry.rules.calendar import utc_now
from tka_registry.settings import Settings


def register(subparsers: Subparsers) -> None:
    users = subparsers.add_parser("users", help="manage accounts")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an account")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--employer-id", type=int, default=None, help="for the employer role")
    create.add_argument("--full-name", default="", help="an officer's full name, as signed")
    create.add_argument("--nip", default="", help="an officer's NIP (18 digits)")
    create.add_argument("--position", default="", help="an officer's position (jabatan)")
    create.add_argument(
        "--password-stdin", action="store_true", required=True, help="read the password from stdin"
    )
    create.set_defaults(handler=run_create)


def run_create(arguments: argparse.Namespace, settings: Settings) -> int:
    if (arguments.role == Role.EMPLOYER) != (arguments.employer_id is not None):
        return fail("--employer-id is needed for the employer role, and only for it")
    password = sys.stdin.readline().rstrip("\r\n")

    async def work() -> int:
        try:
            account_id = await create_account(
                Actor.system("cli"),
                email=arguments.email,
                role=arguments.role,
                password=password,
                employer_id=arguments.employer_id,
                now=utc_now(),
                full_name=arguments.full_name,
                nip=arguments.nip,
                position=arguments.position,
            )
        except DomainError as error:
            return fail(error.detail)
        print(f"created account {account_id}: {arguments.email} ({arguments.role})")
        return 0

    return run_with_database(settings, work)
