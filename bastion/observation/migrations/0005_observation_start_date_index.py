"""The start of the epidemic period in a unit (the dashboard's `period_start`: the earliest
observation's start date): an index on the start date, so that the minimum is read from the
index, not from a scan of every observation of the city.

Added by the reports work (decision 0006) as plain SQL, valid on PostgreSQL and SQLite, so that
the observation model's module is left to its owners; the model's state does not change.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("observation", "0004_checkin_fever_report_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS observation_start_date "
            "ON observation_observation (start_date)",
            reverse_sql="DROP INDEX IF EXISTS observation_start_date",
        ),
    ]
