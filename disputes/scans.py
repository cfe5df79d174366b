"""The signed agreement's scan: checked by what it is, stored under a name nobody can guess.

An image (JPEG, PNG, WebP) is checked and re-encoded as ``appeals.photos`` does for photos (whatever else it
carried is left behind). A PDF is accepted by its magic bytes (``%PDF-``) and its end marker, at most 10 MB.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from appeals.photos import MAX_PHOTO_BYTES, check_photos

MAX_PDF_BYTES = 10 * 1024 * 1024


def check_scan(upload: UploadedFile) -> ContentFile:
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        if upload.size is not None and upload.size > MAX_PDF_BYTES:
            raise ValidationError({"scan": "扫描件 PDF 不能超过 10 MB"})
        data = upload.read()
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError({"scan": f"“{upload.name}”不是完整的 PDF 文件"})
        return ContentFile(data, name=f"{secrets.token_urlsafe(18)}.pdf")
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"scan": "扫描图片不能超过 5 MB"})
    try:
        (image,) = check_photos([upload])
    except ValidationError as exc:
        raise ValidationError(
            {"scan": "签字扫描件须是 PDF 或 JPEG、PNG、WebP 图片：" + "；".join(exc.messages)}
        ) from None
    return image
