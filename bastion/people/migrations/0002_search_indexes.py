"""Indexes of the registry's search box (issue 8, figure 5: a name fragment in ≤ 100 ms over a
million persons).

- The pinyin prefix (`zhangs`) gets a pattern_ops b-tree, in the model state (SQLite builds a
  plain index).
- A name fragment is usually one or two Chinese characters, too short for trigrams (pg_trgm
  finds no trigram in `%红娜%`), so the name is indexed by its characters: a GIN index of
  `string_to_array(upper(name), NULL)`. The search asks for a superset of the matches (every
  character of the fragment) which the index answers, then the LIKE of `icontains` keeps the
  exact ones (`bastion.people.selectors.person_search`).
- A fragment of an ID number or mobile (at least four digits) is found by pg_trgm trigram
  indexes, which do answer `LIKE '%1234%'`.

The GIN indexes and the extension are PostgreSQL only and stay outside the model state (a GIN
index cannot be built on SQLite, which CI also runs), so `makemigrations` sees no change.
"""

from django.db import migrations, models

from bastion.people.migrations._operations import PostgresOnlySQL

NAME_CHARS = "person_name_chars_gin"
ID_NUMBER_TRGM = "person_id_number_trgm"
MOBILE_TRGM = "person_mobile_trgm"


def _gin(name: str, expression: str) -> PostgresOnlySQL:
    return PostgresOnlySQL(
        sql=f"CREATE INDEX {name} ON people_person USING gin ({expression})",
        reverse_sql=f"DROP INDEX IF EXISTS {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name_pinyin"],
                name="person_pinyin_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        # Not Django's TrigramExtension, whose unapplying fails on SQLite (it looks for
        # pg_extension there). Unapplied, the extension stays: something else may use it.
        PostgresOnlySQL(
            sql="CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
        ),
        _gin(NAME_CHARS, "string_to_array(upper(name), NULL)"),
        _gin(ID_NUMBER_TRGM, "id_number gin_trgm_ops"),
        _gin(MOBILE_TRGM, "mobile gin_trgm_ops"),
        # The statistics of the indexed expression: without them the planner guesses how many
        # names hold a character and, for a common one, reads thousands of rows to sort.
        PostgresOnlySQL(sql="ANALYZE people_person", reverse_sql=migrations.RunSQL.noop),
    ]
