"""The database triggers that make the change log append-only (installed by migration 0002).

`remove` exists for exactly two callers: `duban demo --reset`, which wipes the whole database, and the
test suite's flush between browser tests. No other code path may call it.
"""

from __future__ import annotations

TABLE = "audit_objectchange"

_SQL = {
    "sqlite": (
        [
            f"""CREATE TRIGGER IF NOT EXISTS audit_objectchange_no_update BEFORE UPDATE ON {TABLE}
                BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;""",
            f"""CREATE TRIGGER IF NOT EXISTS audit_objectchange_no_delete BEFORE DELETE ON {TABLE}
                BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;""",
        ],
        [
            "DROP TRIGGER IF EXISTS audit_objectchange_no_update;",
            "DROP TRIGGER IF EXISTS audit_objectchange_no_delete;",
        ],
    ),
    "postgresql": (
        [
            """CREATE OR REPLACE FUNCTION audit_objectchange_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'the change log is append-only'; END; $$ LANGUAGE plpgsql;""",
            f"""CREATE OR REPLACE TRIGGER audit_objectchange_no_update_delete BEFORE UPDATE OR DELETE
                ON {TABLE} FOR EACH ROW EXECUTE FUNCTION audit_objectchange_append_only();""",
            f"""CREATE OR REPLACE TRIGGER audit_objectchange_no_truncate BEFORE TRUNCATE ON {TABLE}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_objectchange_append_only();""",
        ],
        [
            f"DROP TRIGGER IF EXISTS audit_objectchange_no_update_delete ON {TABLE};",
            f"DROP TRIGGER IF EXISTS audit_objectchange_no_truncate ON {TABLE};",
        ],
    ),
}


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _SQL.get(connection.vendor, ([], []))[0]:
            cursor.execute(statement)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _SQL.get(connection.vendor, ([], []))[1]:
            cursor.execute(statement)
