"""Pages are gzip-compressed for clients that accept it; static files, under the manifest
storage production and `make run` (DEBUG on) use, have hashed names, a precompressed copy
and far-future caching, served by WhiteNoise."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

MANIFEST = "config.storage.HashedStaticStorage"


def test_a_page_is_gzip_encoded_when_the_client_accepts_gzip(client, db):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "</html>" in html
    assert len(response.content) < len(html.encode()) / 2


def test_a_page_is_plain_when_the_client_does_not_accept_gzip(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "</html>" in response.content.decode()


@pytest.fixture(params=[False, True], ids=["production", "make-run-debug"])
def collected_static(request, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST},
    }
    settings.DEBUG = request.param
    # What config/settings.py sets whenever the manifest storage is on.
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_a_static_file_has_a_hashed_name_a_gzip_copy_and_far_future_caching(collected_static, db):
    url = static("css/porchlight.css")
    assert re.fullmatch(r"/static/css/porchlight\.[0-9a-f]{12}\.css", url), url
    hashed = collected_static / url.removeprefix("/static/")
    assert (hashed.parent / (hashed.name + ".gz")).is_file()

    # A fresh client builds a fresh WhiteNoise, which reads the collected directory.
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == hashed.read_bytes()


def test_the_unhashed_name_is_not_cached_forever(collected_static, db):
    response = Client().get("/static/css/porchlight.css")

    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")
