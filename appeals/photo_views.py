"""An appeal's photos, served only to those who may see the appeal (``access.scope`` through
``visible_appeals``) by ``linli.media.private_image``, never by a path under MEDIA_URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from access.scope import Scope
from appeals.models import AppealPhoto
from appeals.selectors import visible_appeals
from linli.media import private_image


@login_required
def appeal_photo(request, pk: int, photo_pk: int):
    appeal = get_object_or_404(visible_appeals(Scope.of(request.user)), pk=pk)
    photo = get_object_or_404(AppealPhoto, pk=photo_pk, appeal=appeal)
    return private_image(photo.image)
