"""The appeal page's box for disputes: the linked case, or 转为纠纷案件 (``disputes/_appeal_box.html``)."""

from django import template

from access.scope import Scope
from disputes.intake import appeal_box

register = template.Library()


@register.inclusion_tag("disputes/_appeal_box_inner.html", takes_context=True)
def dispute_box(context, appeal):
    request = context["request"]
    return {
        **appeal_box(Scope.of(request.user), appeal),
        "appeal": appeal,
        "csrf_token": context.get("csrf_token"),
    }
