"""Staff sessions end after a spell of inactivity (residents keep theirs): a phone left on a desk in a community
office should not stay signed in to residents' records."""

from __future__ import annotations

import time

from django.conf import settings

from access.scope import Scope

RENEW_EVERY = 60  # seconds: the sliding expiry is saved at most this often, not on every request


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if Scope.of(user).is_staff_like:
                idle = settings.LINLI_STAFF_IDLE_MINUTES * 60
                now = int(time.time())
                session = request.session
                if session.get_expiry_age() != idle or session.get("_linli_renewed", 0) <= now - RENEW_EVERY:
                    session.set_expiry(idle)  # saved with the response: the idle clock starts again
                    session["_linli_renewed"] = now
        return self.get_response(request)
