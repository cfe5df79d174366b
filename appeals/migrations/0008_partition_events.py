"""The appeal timeline (``appeals_appealevent``) partitioned by month on PostgreSQL (``linli.partitions``).

PostgreSQL only: the table becomes ``PARTITION BY RANGE (at)`` with a partition for every month that has rows
and for the current month and three more, a default partition, primary key ``(id, at)``; the rows are copied and
the names swapped in this migration's transaction. SQLite keeps the plain table. Django's model is unchanged (no
state operation): ``id`` stays its primary key. The ``event_partitions`` job keeps months ahead.
"""

from django.db import migrations

from linli.partitions import partition_by_month, unpartition

TABLE = "appeals_appealevent"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        partition_by_month(schema_editor.connection, TABLE, "at")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        unpartition(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0007_appeal_street")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
