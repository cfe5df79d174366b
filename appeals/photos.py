"""Photo checks: real JPEG, PNG or WebP (by content, not by name), at most 5 MB each and 6 per step."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
}


def photo_kind(head: bytes) -> str | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_photos(photos: Sequence[UploadedFile]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传 {MAX_PHOTOS} 张照片"})
    for photo in photos:
        if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
            raise ValidationError({"photos": f"照片“{photo.name}”超过 5 MB"})
        photo.seek(0)
        head = photo.read(16)
        photo.seek(0)
        if photo_kind(head) is None:
            raise ValidationError({"photos": f"“{photo.name}”不是 JPEG、PNG 或 WebP 图片"})
