"""The change log is append-only in the database itself, not only in the ORM."""

from django.db import migrations

TABLE = "audit_objectchange"

SQLITE_UP = [
    f"""CREATE TRIGGER audit_objectchange_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;""",
    f"""CREATE TRIGGER audit_objectchange_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_objectchange_no_update;",
    "DROP TRIGGER IF EXISTS audit_objectchange_no_delete;",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_objectchange_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the change log is append-only'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER audit_objectchange_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_objectchange_append_only();""",
    f"""CREATE TRIGGER audit_objectchange_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_objectchange_append_only();""",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_objectchange_no_update_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_objectchange_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_objectchange_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
