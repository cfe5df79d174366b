"""The 长辈模式 switch in the page header (people.context_processors says whether a request is in the mode)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from people.context_processors import COOKIE, COOKIE_AGE, person_of
from people.services import person_set_elder_mode


@require_POST
def elder_mode_set(request: HttpRequest) -> HttpResponse:
    """POST ``on`` = 1 or 0 (the state wanted, not a flip: a double tap does not undo itself), back to ``next``."""
    on = request.POST.get("on") == "1"
    person = person_of(request)
    if person is not None:
        person_set_elder_mode(actor=request.user, person=person, on=on)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if on:
        messages.success(request, "已开启长辈模式：字更大，按钮更大。想恢复原样，点上方“退出长辈模式”。")
    else:
        messages.success(request, "已退出长辈模式。")
    response = HttpResponseRedirect(target)
    if on:
        response.set_cookie(COOKIE, "1", max_age=COOKIE_AGE, httponly=True, samesite="Lax")
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
