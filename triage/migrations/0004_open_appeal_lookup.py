"""Duplicate lookup at intake on a partial index: only the open appeals of a community, by submission time.

The lookup (``triage.duplicates.duplicates_for``) asks for open appeals of one community within a time window,
newest first, at most ``TRIAGE_DUPLICATE_CANDIDATES``. On (community, status, submitted_at) the status list made
the database read every open appeal of the window and sort them; this index holds only open appeals (a few per
cent of a district's million), in time order, so the window is one range scan that stops at the limit.
The statuses are those open when this migration was written (``appeals.models.OPEN_STATUSES``); the query lists
the same ones, so the database knows the index covers it.
"""

from django.db import migrations

OPEN = ("submitted", "dispatched", "accepted", "returned")
PREDICATE = "status IN (" + ", ".join(f"'{s}'" for s in OPEN) + ")"


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0003_leaf_unit_history"),
        ("appeals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP INDEX IF EXISTS appeal_duplicate_lookup",
                "CREATE INDEX IF NOT EXISTS appeal_open_lookup "
                f"ON appeals_appeal (community_id, submitted_at) WHERE {PREDICATE}",
            ],
            reverse_sql=[
                "DROP INDEX IF EXISTS appeal_open_lookup",
                "CREATE INDEX IF NOT EXISTS appeal_duplicate_lookup "
                "ON appeals_appeal (community_id, status, submitted_at)",
            ],
        ),
    ]
