"""The outbox trigger also says ``NOTIFY kinrw_outbox, '<schema>'`` when it wrote a row.

PostgreSQL delivers a notification only when the writing transaction commits, so
the relay (:mod:`kinrw.state.relay`, in the one beat process) hands a KI's new
rows to the worker right after the commit instead of at the next sweep. The
sweep stays as the fallback for anything a notification misses.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("kinrw.workspace.migrations.0012_outbox")

OLD = previous.FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
INSERT = """        TG_TABLE_SCHEMA, days);
    RETURN NULL;"""
NOTIFY = """        TG_TABLE_SCHEMA, days);
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written > 0 THEN
        PERFORM pg_notify('kinrw_outbox', TG_TABLE_SCHEMA);
    END IF;
    RETURN NULL;"""
assert INSERT in OLD
NEW = OLD.replace(INSERT, NOTIFY).replace(
    "    days text;\n", "    days text;\n    written bigint;\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0013_documents"),
    ]

    operations = [migrations.RunSQL(NEW, reverse_sql=OLD)]
