"""长辈模式 (age-friendly pages): whether a request is in it, read from the account or, for a visitor, a cookie.

The mode is the account's (``Person.elder_mode``), so it holds at the next login and on another phone; a visitor
who is not signed in (the login page, a community's public page) keeps it in a cookie. The switch
(``people.views.elder_mode_set``) also writes the cookie for a signed-in person, so the login page after signing
out looks as they left it. The page only gets a class on <html> (``templates/base.html``); the rules are in
``static/linli.css`` under 长辈模式.
"""

from __future__ import annotations

from django.http import HttpRequest

COOKIE = "linli_elder"
COOKIE_AGE = 5 * 365 * 24 * 3600  # turned on once, kept


def person_of(request: HttpRequest):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)  # a login without a person (a bare superuser) has none


def elder_mode_of(request: HttpRequest) -> bool:
    person = person_of(request)
    if person is not None:
        return person.elder_mode
    return request.COOKIES.get(COOKIE) == "1"


def elder_mode(request: HttpRequest) -> dict:
    """Context processor: ``elder_mode`` for the <html> class and the switch's words."""
    return {"elder_mode": elder_mode_of(request)}
