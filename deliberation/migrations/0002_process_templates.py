"""Seed the process templates (146 six steps, 五议工作法); idempotent, so re-running adds only what is missing."""

from django.db import migrations


def seed(apps, schema_editor):
    from deliberation.processes import ensure_templates

    ensure_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
