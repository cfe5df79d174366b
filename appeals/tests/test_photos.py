"""Photos: decoded, re-encoded without what they carried (EXIF GPS, scripts), capped, stored under random
names, and served only through a view that asks the scope."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from appeals import services
from appeals.errors import ValidationError
from appeals.models import Appeal, AppealPhoto, Channel
from appeals.photos import MAX_PHOTOS_PER_APPEAL, check_photos

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


def png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 12), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "手机厂商"  # Make
    exif[GPS_IFD] = {1: "N", 2: (30.0, 40.0, 12.5), 3: "E", 4: (114.0, 18.0, 3.2)}  # latitude, longitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width × height (a decompression bomb needs no more to be refused)."""
    data = bytearray(png())
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def submit(world, *files):
    return services.appeal_submit(
        user=world.resident, title="门口积水", body="雨后门口积水", channel=Channel.APP, photos=list(files)
    )


def refused(world, upload) -> str:
    before = Appeal.objects.count()
    with pytest.raises(ValidationError) as err:
        submit(world, upload)
    assert Appeal.objects.count() == before and not AppealPhoto.objects.exists()
    return " ".join(err.value.message_dict["photos"])


def test_a_png_signature_followed_by_a_script_is_refused(world):
    payload = b"\x89PNG\r\n\x1a\n<script>alert(document.cookie)</script>"
    assert "不是 JPEG、PNG 或 WebP" in refused(world, SimpleUploadedFile("x.html", payload))


def test_an_image_with_a_script_after_it_is_stored_as_the_image_alone_under_a_random_name(world):
    upload = SimpleUploadedFile("evil.html", png() + b"<script>alert(1)</script>", content_type="text/html")
    appeal = submit(world, upload)
    stored = appeal.photos.get()
    name = stored.image.name.rsplit("/", 1)[-1]
    assert name.endswith(".png") and "evil" not in name and len(name) > 20
    assert b"<script>" not in stored.image.read()


def test_gps_and_other_exif_is_dropped(world):
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)  # given a phone photo that says where the resident lives
    appeal = submit(world, SimpleUploadedFile("home.jpg", jpeg_with_gps(), content_type="image/jpeg"))
    with Image.open(appeal.photos.get().image) as kept:
        assert kept.format == "JPEG" and kept.size == (16, 12)
        assert not kept.getexif().get_ifd(GPS_IFD) and 0x010F not in kept.getexif()


def test_a_decompression_bomb_and_an_oversized_file_are_refused(world):
    assert "像素过大" in refused(world, SimpleUploadedFile("bomb.png", png_claiming(20000, 20000)))
    huge = SimpleUploadedFile("big.png", png() + b"\0" * (5 * 1024 * 1024))
    assert "超过 5 MB" in refused(world, huge)


def test_at_most_six_photos_a_step_and_twelve_an_appeal():
    six = [SimpleUploadedFile(f"{i}.png", png()) for i in range(6)]
    assert len(check_photos(six, already=MAX_PHOTOS_PER_APPEAL - 6)) == 6
    with pytest.raises(ValidationError) as err:
        check_photos(six[:1], already=MAX_PHOTOS_PER_APPEAL)
    assert "一件诉求最多 12 张照片（已有 12 张）" in err.value.message_dict["photos"]
    with pytest.raises(ValidationError) as err:
        check_photos([*six, SimpleUploadedFile("7.png", png())])
    assert "每次最多上传 6 张照片" in err.value.message_dict["photos"]


def test_photos_are_served_only_to_those_who_see_the_appeal(world, client_for, client):
    appeal = submit(world, SimpleUploadedFile("a.png", png()))
    photo = appeal.photos.get()
    url = f"/appeals/{appeal.pk}/photos/{photo.pk}/"
    # the resident who raised it and the community's staff see it, as an image that is never sniffed
    for who in ("resident", "community"):
        response = client_for(who).get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # another community's staff and an anonymous visitor do not; nor does anyone by the stored path
    assert client_for("community2").get(url).status_code == 404
    assert client.get(url).status_code == 302
    assert client_for("community").get(f"/media/{photo.image.name}").status_code == 404
    # the page links the scoped view, not the file
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert url in page and photo.image.name not in page


def test_behind_nginx_the_view_hands_the_file_to_the_proxy(world, client_for, settings):
    settings.LINLI_MEDIA_ACCEL = "/protected-media/"
    appeal = submit(world, SimpleUploadedFile("a.png", png()))
    photo = appeal.photos.get()
    response = client_for("community").get(f"/appeals/{appeal.pk}/photos/{photo.pk}/")
    assert (
        response.status_code == 200 and response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    )
    assert response.content == b""


def test_the_api_refuses_a_bad_photo_with_a_field_message(world, api_client_for):
    response = api_client_for("resident").post(
        "/api/appeals/",
        {
            "title": "积水",
            "body": "门口积水",
            "photos": [SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n<svg/>")],
        },
        format="multipart",
    )
    assert response.status_code == 400 and "photos" in response.json()
    assert not Appeal.objects.exists()
