"""An index in the order of the home page's latest results (selectors.latest_results).

Latest kickoff first, matches without a kickoff last, then the latest id: PostgreSQL reads the
first few from the index instead of sorting every result of a season (tens of thousands on a
nationwide season). PostgreSQL only: SQLite, the embedded database for small installs,
cannot create an index with NULLS LAST (and sorts NULLs last in descending order anyway).
"""

from django.db import migrations

NAME = "match_latest_first"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("tournaments", "Match")._meta.db_table)
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON {table} ("kickoff" DESC NULLS LAST, "id" DESC)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("tournaments", "0003_restrict_within_a_season")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
