"""The project's URLs plus two views that refuse and crash, for the error page tests (``@pytest.mark.urls``)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from linli.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def refuse(request):
    raise PermissionDenied("只有本社区的社区工作者可以发布公示")


def refuse_in_english(request):
    raise PermissionDenied("Forbidden")


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-refuse/", refuse),
    path("test-refuse-english/", refuse_in_english),
    path("test-crash/", crash),
    *urlpatterns,
]
