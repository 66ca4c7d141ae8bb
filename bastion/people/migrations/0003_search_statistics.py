"""Finer statistics of the pinyin columns, for the search box's prefixes (issue 8, figure 5).

With the default 100 histogram buckets PostgreSQL guessed the same share of persons for
every initials prefix (383 of 68,658 for `fjx` as for `lp`, which match 28 and 128): it then
walked the registry in its order for a rare prefix (all 50,000 rows at tier S to find 28)
and sorted thousands of rows for a common one. With 1,000 its estimates are within a few
percent and it picks the index that fits.
"""

from django.db import migrations

from bastion.people.migrations._operations import PostgresOnlySQL

COLUMNS = ("name_initials", "name_pinyin")


def _statistics(target: int) -> str:
    columns = ", ".join(f"ALTER COLUMN {c} SET STATISTICS {target}" for c in COLUMNS)
    return f"ALTER TABLE people_person {columns}"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_search_indexes"),
    ]

    operations = [
        PostgresOnlySQL(sql=_statistics(1000), reverse_sql=_statistics(-1)),
        PostgresOnlySQL(sql="ANALYZE people_person", reverse_sql=migrations.RunSQL.noop),
    ]
