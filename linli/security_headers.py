"""The headers every response carries: Content-Security-Policy (django-csp), Permissions-Policy, Referrer-Policy,
X-Content-Type-Options.

The policy allows nothing inline: every script is a file under ``static/`` (``forms.js`` for the small page
behaviours, ``confirm.js``, ``evaluation.js``, htmx, ECharts, Swagger UI's own files), htmx's indicator styles are
in ``static/htmx.css`` (``includeIndicatorStyles: false`` in base.html's htmx-config meta), and the two widths a
template used to write in a ``style`` attribute are set by ``forms.js`` from ``data-width`` / ``data-indent``.
``style-src`` is ``'self'`` too, without ``'unsafe-inline'``: the scripts (ECharts, Swagger UI) set styles through
the DOM, which the policy allows. Swagger UI's page is drf-spectacular's split view (``access.api_docs``).

A deployment may replace the policy with Django-CSP's own ``CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}``
setting; without it the policy below applies. Unlike django-csp's middleware, the header is also sent on DEBUG's
404 and 500 pages (ours are product pages, not Django's technical ones).
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER, NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings

POLICY: dict[str, list[str]] = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],  # Swagger UI's icons and ECharts' exported images are data: URLs
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],  # with X-Frame-Options: DENY
}

# The browser features Linli uses: geolocation on its own pages (a resident finds the nearest service site), the
# camera through a file input (which needs no permission); nothing else, and no third party gets any.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), display-capture=()"


def directives() -> dict:
    configured = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    chosen = configured.get("DIRECTIVES") if configured else None
    return default_config(chosen or POLICY) or {}


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None:
            parts.config = directives()
        return parts

    def process_response(self, request, response):
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            policy = build_policy(**asdict(self.get_policy_parts(request, response)))
            if policy:
                response[HEADER] = policy
        response = super().process_response(request, response)  # report-only policy and the nonce guard
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        referrer = getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"
        response.headers.setdefault("Referrer-Policy", referrer)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
