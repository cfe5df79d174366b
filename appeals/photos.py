"""Residents' and units' photos: checked by what they are, re-encoded, stored under names nobody can guess.

A photo is accepted only if Pillow decodes it as a JPEG, PNG or WebP image (the bytes, never the name), of at
most 5 MB and 40 megapixels (a small file that unpacks to a huge bitmap, a "decompression bomb", is refused
before it is decoded). It is then drawn again into a fresh file of the same format: whatever else the upload
carried (EXIF with the GPS position of a resident's home, comments, a script after the image data) is left
behind, and the picture is turned upright by its EXIF orientation first. The stored name is random; the
original name is not kept. At most 6 photos a step and 12 an appeal.
"""

from __future__ import annotations

import io
import secrets
import warnings
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6  # in one step
MAX_PHOTOS_PER_APPEAL = 12
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000×6000; larger is not a photo of a pothole
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _error(message: str) -> ValidationError:
    return ValidationError({"photos": message})


def _reencode(photo: UploadedFile) -> ContentFile:
    photo.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as probe:
                kind = probe.format or ""
                if kind not in FORMATS:
                    raise _error(f"“{photo.name}”不是 JPEG、PNG 或 WebP 图片")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _error(f"“{photo.name}”像素过大（{width}×{height}），请上传普通照片")
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _error(f"“{photo.name}”不是 JPEG、PNG 或 WebP 图片，或文件已损坏") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _error(f"“{photo.name}”像素过大，请上传普通照片") from None
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"{secrets.token_urlsafe(18)}.{FORMATS[kind]}")


def check_photos(photos: Sequence[UploadedFile], *, already: int = 0) -> list[ContentFile]:
    """The photos as they will be stored (re-encoded, random names), or a ValidationError on ``photos``;
    ``already`` is how many the appeal has."""
    if len(photos) > MAX_PHOTOS:
        raise _error(f"每次最多上传 {MAX_PHOTOS} 张照片")
    if already + len(photos) > MAX_PHOTOS_PER_APPEAL:
        raise _error(f"一件诉求最多 {MAX_PHOTOS_PER_APPEAL} 张照片（已有 {already} 张）")
    cleaned = []
    for photo in photos:
        if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
            raise _error(f"照片“{photo.name}”超过 5 MB")
        cleaned.append(_reencode(photo))
    return cleaned
