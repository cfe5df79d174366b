"""The index behind duplicate lookup at intake: open appeals of one community by submission time.

Kept in triage (raw SQL, the same on SQLite and PostgreSQL) so the appeals model and its migrations stay as
they are; ``triage.selectors.duplicates_for`` is its one reader.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("appeals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS appeal_duplicate_lookup "
            "ON appeals_appeal (community_id, status, submitted_at)",
            reverse_sql="DROP INDEX IF EXISTS appeal_duplicate_lookup",
        ),
    ]
