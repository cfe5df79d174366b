"""Staff sessions end after a spell of inactivity (residents keep theirs): a phone left on a desk in a community
office should not stay signed in to residents' records."""

from __future__ import annotations

from django.conf import settings

from access.scope import Scope


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if Scope.of(user).is_staff_like:
                request.session.set_expiry(settings.LINLI_STAFF_IDLE_MINUTES * 60)  # renewed on each request
        return self.get_response(request)
