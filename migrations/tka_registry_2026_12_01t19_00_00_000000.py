# ruff: noqa: S608 (DDL assembled from constants of this file; no value from outside)
"""The worker search index (issue 19): one row of search terms per worker, kept by triggers.

A worker's terms are the folded name, the employer's name, every passport number, every permit
number and register number, and the register numbers of the worker's cases; numbers are stored
compacted (no spaces, hyphens, slashes or dots) so "X 123-456" finds "X123456". Triggers on every
table that feeds the terms rebuild the worker's row in the same transaction as the write, so
every write path (API, pages, import, demo data, raw SQL) keeps the index right.

SQLite: an FTS5 table (unicode61, accents removed) whose rowid is the worker id. PostgreSQL: a
plain table with a GIN full-text index over ``to_tsvector('simple', terms)``; no extension needed.
The query side is ``tka_registry.dialects``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "worker search index"


class Worker(Table, tablename="worker"):
    pass


def _sqlite_compact(column: str) -> str:
    inner = f"upper({column})"
    for separator in (" ", "-", "/", "."):
        inner = f"replace({inner}, '{separator}', '')"
    return inner


def _sqlite_terms(worker_id: str) -> str:
    """The search terms of worker ``worker_id`` (an SQL expression) as one SELECT."""
    number = _sqlite_compact("p.number")
    return f"""SELECT w.id, w.name_folded
        || ' ' || coalesce((SELECT e.name FROM employer e WHERE e.id = w.employer), '')
        || ' ' || coalesce((SELECT group_concat({number}, ' ') FROM passport p
                            WHERE p.worker = w.id), '')
        || ' ' || coalesce((SELECT group_concat({number} || ' '
                            || coalesce({_sqlite_compact("p.register_number")}, ''), ' ')
                            FROM permit p WHERE p.worker = w.id), '')
        || ' ' || coalesce((SELECT group_concat({_sqlite_compact("a.register_number")}, ' ')
                            FROM application a WHERE a.worker = w.id), '')
        || ' ' || coalesce((SELECT group_concat({_sqlite_compact("c.register_number")}, ' ')
                            FROM second_home_case c WHERE c.principal = w.id
                            OR c.id IN (SELECT d.second_home_case FROM second_home_dependant d
                                        WHERE d.worker = w.id)), '')
        FROM worker w WHERE w.id = {worker_id}"""


def _sqlite_refresh(worker_id: str) -> str:
    return (
        f"DELETE FROM worker_search WHERE rowid = {worker_id};"
        f" INSERT INTO worker_search (rowid, terms) {_sqlite_terms(worker_id)};"
    )


def _sqlite_trigger(name: str, event: str, table: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END"


SQLITE = [
    "CREATE VIRTUAL TABLE worker_search USING fts5("
    "terms, tokenize = 'unicode61 remove_diacritics 2')",
    _sqlite_trigger("worker_search_worker_insert", "INSERT", "worker", _sqlite_refresh("NEW.id")),
    _sqlite_trigger(
        "worker_search_worker_update",
        "UPDATE OF name_folded, employer",
        "worker",
        _sqlite_refresh("NEW.id"),
    ),
    _sqlite_trigger(
        "worker_search_worker_delete",
        "DELETE",
        "worker",
        "DELETE FROM worker_search WHERE rowid = OLD.id;",
    ),
    _sqlite_trigger(
        "worker_search_passport_insert", "INSERT", "passport", _sqlite_refresh("NEW.worker")
    ),
    _sqlite_trigger(
        "worker_search_passport_update",
        "UPDATE OF number, worker",
        "passport",
        _sqlite_refresh("OLD.worker") + _sqlite_refresh("NEW.worker"),
    ),
    _sqlite_trigger(
        "worker_search_passport_delete", "DELETE", "passport", _sqlite_refresh("OLD.worker")
    ),
    _sqlite_trigger(
        "worker_search_permit_insert", "INSERT", "permit", _sqlite_refresh("NEW.worker")
    ),
    _sqlite_trigger(
        "worker_search_permit_update",
        "UPDATE OF number, register_number, worker",
        "permit",
        _sqlite_refresh("OLD.worker") + _sqlite_refresh("NEW.worker"),
    ),
    _sqlite_trigger(
        "worker_search_application_insert",
        "INSERT",
        "application",
        _sqlite_refresh("NEW.worker"),
    ),
    _sqlite_trigger(
        "worker_search_application_update",
        "UPDATE OF register_number, worker",
        "application",
        _sqlite_refresh("OLD.worker") + _sqlite_refresh("NEW.worker"),
    ),
    _sqlite_trigger(
        "worker_search_employer_update",
        "UPDATE OF name",
        "employer",
        "DELETE FROM worker_search WHERE rowid IN (SELECT id FROM worker WHERE employer = NEW.id);"
        " INSERT INTO worker_search (rowid, terms) "
        + _sqlite_terms("w.id").replace("WHERE w.id = w.id", "WHERE w.employer = NEW.id")
        + ";",
    ),
    _sqlite_trigger(
        "worker_search_case_insert",
        "INSERT",
        "second_home_case",
        _sqlite_refresh("NEW.principal"),
    ),
    _sqlite_trigger(
        "worker_search_case_update",
        "UPDATE OF register_number, principal",
        "second_home_case",
        _sqlite_refresh("OLD.principal") + _sqlite_refresh("NEW.principal"),
    ),
    _sqlite_trigger(
        "worker_search_dependant_insert",
        "INSERT",
        "second_home_dependant",
        _sqlite_refresh("NEW.worker"),
    ),
    "INSERT INTO worker_search (rowid, terms) "
    + _sqlite_terms("w.id").replace("WHERE w.id = w.id", ""),
]


def _postgres_compact(column: str) -> str:
    return f"regexp_replace(upper({column}), '[^[:alnum:]]', '', 'g')"


POSTGRES_TERMS = f"""SELECT w.id, concat_ws(' ', w.name_folded, e.name,
        (SELECT string_agg({_postgres_compact("p.number")}, ' ') FROM passport p
         WHERE p.worker = w.id),
        (SELECT string_agg(concat_ws(' ', {_postgres_compact("p.number")},
                                     {_postgres_compact("p.register_number")}), ' ')
         FROM permit p WHERE p.worker = w.id),
        (SELECT string_agg({_postgres_compact("a.register_number")}, ' ') FROM application a
         WHERE a.worker = w.id),
        (SELECT string_agg({_postgres_compact("c.register_number")}, ' ')
         FROM second_home_case c WHERE c.principal = w.id
         OR c.id IN (SELECT d.second_home_case FROM second_home_dependant d
                     WHERE d.worker = w.id)))
    FROM worker w LEFT JOIN employer e ON e.id = w.employer"""


def _postgres_triggers(table: str, column: str, updates: str) -> list[str]:
    """Triggers of ``table`` refreshing the worker its ``column`` names.

    Inserts refresh once per statement from the transition table (a bulk load is one set-based
    refresh, not a million); updates of the ``updates`` columns and deletes refresh per row, the
    old worker and the new one.
    """
    statements = [
        f"CREATE TRIGGER worker_search_{table}_insert AFTER INSERT ON {table}"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        f" EXECUTE FUNCTION worker_search_on_insert('{column}')",
    ]
    if updates:
        statements.append(
            f"CREATE TRIGGER worker_search_{table}_change AFTER {updates} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION worker_search_on_change('{column}')"
        )
    return statements


POSTGRES = [
    "CREATE TABLE worker_search (worker_id INTEGER PRIMARY KEY"
    " REFERENCES worker (id) ON DELETE CASCADE, terms TEXT NOT NULL)",
    "CREATE INDEX worker_search_terms ON worker_search USING gin (to_tsvector('simple', terms))",
    # PL/pgSQL, not SQL: its plan is prepared once per session instead of once per call.
    "CREATE FUNCTION worker_search_refresh(targets integer[]) RETURNS void"
    " LANGUAGE plpgsql AS $$ BEGIN"
    f" INSERT INTO worker_search (worker_id, terms) {POSTGRES_TERMS} WHERE w.id = ANY(targets)"
    " ON CONFLICT (worker_id) DO UPDATE SET terms = EXCLUDED.terms; END $$",
    "CREATE FUNCTION worker_search_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE targets integer[]; BEGIN"
    " EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO targets;"
    " PERFORM worker_search_refresh(targets); RETURN NULL; END $$",
    "CREATE FUNCTION worker_search_on_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " PERFORM worker_search_refresh(ARRAY[(to_jsonb(OLD) ->> TG_ARGV[0])::integer,"
    " (to_jsonb(NEW) ->> TG_ARGV[0])::integer]); RETURN NULL; END $$",
    *_postgres_triggers("worker", "id", "UPDATE OF name_folded, employer"),
    *_postgres_triggers("passport", "worker", "UPDATE OF number, worker OR DELETE"),
    *_postgres_triggers("permit", "worker", "UPDATE OF number, register_number, worker"),
    *_postgres_triggers("application", "worker", "UPDATE OF register_number, worker"),
    *_postgres_triggers("second_home_case", "principal", "UPDATE OF register_number, principal"),
    *_postgres_triggers("second_home_dependant", "worker", ""),
    "CREATE FUNCTION worker_search_on_employer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " PERFORM worker_search_refresh(ARRAY(SELECT w.id FROM worker w"
    " WHERE w.employer = NEW.id)); RETURN NULL; END $$",
    "CREATE TRIGGER worker_search_employer AFTER UPDATE OF name ON employer"
    " FOR EACH ROW EXECUTE FUNCTION worker_search_on_employer()",
    f"INSERT INTO worker_search (worker_id, terms) {POSTGRES_TERMS}",
]


async def create_worker_search() -> None:
    db = Worker._meta.db
    for statement in SQLITE if db.engine_type == "sqlite" else POSTGRES:
        await db.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="tka_registry", description=DESCRIPTION)
    manager.add_raw(create_worker_search)
    return manager
