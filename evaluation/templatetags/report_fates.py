"""``{{ report|report_fate }}``: why a monthly report cannot finish by itself (``evaluation.report_tasks``), or None.

Only reports still queued, running or failed are looked up (one small query each), so a list of finished reports
costs nothing."""

from __future__ import annotations

from django import template

from evaluation.report_tasks import report_fate as fate

register = template.Library()


@register.filter
def report_fate(report):
    return fate(report)
