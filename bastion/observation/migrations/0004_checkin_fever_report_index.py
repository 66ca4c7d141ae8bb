"""The fevers among check-ins per day (the dashboard's trend over the whole epidemic period,
the home page's headline): a partial index over the few fever check-ins (0.5 % at city scale)
instead of reading every check-in of the period.

Added by the reports work (decision 0006) as plain SQL, valid on PostgreSQL and SQLite, so that
the check-in model's module is left to its owners; the model's state does not change.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("observation", "0003_checkin_report_day_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS checkin_fever_day "
            "ON observation_checkin (day, unit_code) WHERE is_fever",
            reverse_sql="DROP INDEX IF EXISTS checkin_fever_day",
        ),
    ]
