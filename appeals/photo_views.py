"""An appeal's photos, served only to those who may see the appeal (``access.scope`` through
``visible_appeals``), never by a path under MEDIA_URL.

Behind nginx (``LINLI_MEDIA_ACCEL`` set to the internal location, e.g. ``/protected-media/``) the view answers
with ``X-Accel-Redirect`` and nginx sends the file; otherwise Django streams it. Either way the type is the
stored image's own (the file was re-encoded at upload), ``nosniff`` is set, and nothing is ever served as HTML.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from access.scope import Scope
from appeals.models import AppealPhoto
from appeals.photos import CONTENT_TYPES
from appeals.selectors import visible_appeals


@login_required
def appeal_photo(request, pk: int, photo_pk: int):
    appeal = get_object_or_404(visible_appeals(Scope.of(request.user)), pk=pk)
    photo = get_object_or_404(AppealPhoto, pk=photo_pk, appeal=appeal)
    name = photo.image.name or ""
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix.lstrip(".").lower())
    if content_type is None:  # stored before uploads were re-encoded, or not an image: never shown inline
        raise Http404("照片不存在")
    accel = getattr(settings, "LINLI_MEDIA_ACCEL", "")
    if accel:
        response: HttpResponse | FileResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        try:
            response = FileResponse(photo.image.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404("照片文件已不存在") from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response
