"""Serving an uploaded image to someone the caller has already found may see it, never by a path under MEDIA_URL.

Behind nginx (``LINLI_MEDIA_ACCEL`` set to the internal location, e.g. ``/protected-media/``) the answer is an
``X-Accel-Redirect`` and nginx sends the file; otherwise Django streams it. Either way the type is the stored
image's own (uploads are re-encoded, ``appeals.photos``), ``nosniff`` is set, and nothing is served as HTML.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

from appeals.photos import CONTENT_TYPES


def private_image(image: FieldFile) -> HttpResponse | FileResponse:
    name = image.name or ""
    content_type = CONTENT_TYPES.get(PurePosixPath(name).suffix.lstrip(".").lower())
    if content_type is None:  # stored before uploads were re-encoded, or not an image: never shown inline
        raise Http404("照片不存在")
    accel = getattr(settings, "LINLI_MEDIA_ACCEL", "")
    if accel:
        response: HttpResponse | FileResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        try:
            response = FileResponse(image.open("rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404("照片文件已不存在") from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response
