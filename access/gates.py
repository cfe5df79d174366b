"""What a signed-in session must do before anything else: the second factor (``access.twofactor``) — enrol if it
is required of the account, or type a code if it is on — and, for a resident, consent to the privacy notice
(``audit.privacy``). Until then every page redirects there and every API call by session is a 403 saying why.
Signing out, the gate's own pages, static files, the language switch and the health check stay open.

Add after ``axes.middleware.AxesMiddleware`` in MIDDLEWARE (it needs the session and the user). The settings
``LINLI_TWOFACTOR_ADMINS`` and ``LINLI_PRIVACY_CONSENT`` (both on unless set off; the demo turns them off so
that its logins go straight in) decide whether administrators must enrol and residents must consent.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from access import twofactor
from access.scope import Scope
from audit import privacy

OPEN_PREFIXES = ("/access/", "/logout/", "/static/", "/i18n/", "/healthz", "/admin/logout/", "/elder-mode/")
MESSAGES = {
    "twofactor-verify": "请先完成两步验证",
    "twofactor-setup": "请先设置两步验证",
    "privacy-notice": "请先阅读并同意隐私告知",
}


def owed(request) -> str | None:
    """The url name of the step this session still owes, or None."""
    match twofactor.pending(request):
        case "verify":
            return "twofactor-verify"
        case "enrol":
            return "twofactor-setup"
    session = request.session
    if (
        not getattr(settings, "LINLI_PRIVACY_CONSENT", True)
        or session.get(privacy.SESSION_KEY) == privacy.version()
    ):
        return None
    if Scope.of(request.user).is_staff_like or Scope.of(request.user).person is None:
        return None
    if privacy.has_consented(request.user):
        session[privacy.SESSION_KEY] = privacy.version()
        return None
    return "privacy-notice"


class SignInGatesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            step = owed(request)
            if step is not None:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": MESSAGES[step]}, status=403, json_dumps_params={"ensure_ascii": False}
                    )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
