"""Images from the archive only: archived ones point at the reading room's copy, the
others become a placeholder naming their address; nothing asks another host."""

from __future__ import annotations

import base64
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scraper.reading_room.images import image_sources, localize_images
from scraper.reading_room.sanitize import clean_html

from .test_datasette import make_datasette, post_page_path

LONG_NIGHT = "posters.example/?p=101"
POSTER = "https://posters.example/wp-content/uploads/long-night.jpg"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                       "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")


def test_an_archived_image_shows_its_copy_and_keeps_its_other_attributes() -> None:
    cleaned = clean_html('<p><img src="/a.jpg?x=1&amp;y=2" alt="A &quot;cat&quot;" width="3">'
                         "</p>", "https://blog.example/post/")
    assert image_sources(cleaned) == {"https://blog.example/a.jpg?x=1&y=2"}
    shown = localize_images(cleaned, {"https://blog.example/a.jpg?x=1&y=2": "/m?id=1&b=2"})
    assert 'src="/m?id=1&amp;b=2"' in shown and 'alt="A &quot;cat&quot;"' in shown
    assert 'width="3"' in shown and "blog.example" not in shown


def test_an_image_not_archived_is_a_placeholder_with_its_address_as_text() -> None:
    cleaned = clean_html('<p>x <img src="https://cdn.example/b.png?s=1&amp;t=2" alt="B > c">'
                         " y</p>")
    shown = localize_images(cleaned, {})
    assert "<img" not in shown
    assert "image not archived (B &gt; c)" in shown
    assert '<span class="rr-missing-url">https://cdn.example/b.png?s=1&amp;t=2</span>' in shown


def test_the_post_page_requests_images_only_from_the_reading_room(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.db"
    shutil.copy(archive_path, archive)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "long-night.png").write_bytes(PNG)
    with sqlite3.connect(archive) as conn:
        conn.execute("update media set local_path = 'media/long-night.png',"
                     " mime_type = 'image/png' where id = ?", [POSTER])
        conn.execute("update posts set body_html = body_html ||"
                     " '<p><img src=\"https://gone.example/lost.jpg\" alt=\"lost\"></p>'")
        conn.execute("update comments set html = html ||"
                     " '<img src=\"https://gone.example/avatar.png\">'")
    ds = make_datasette(event_loop_runner, archive, meta)
    response = event_loop_runner(ds.client.get(post_page_path(LONG_NIGHT)))
    assert response.status_code == 200, response.text[-2000:]
    page = response.text
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', page)
    assert sources and all(src.startswith("/-/reading-room/media?id=") for src in sources)
    assert "/-/reading-room/media?id=" + quote(POSTER, safe="") in sources
    assert "https://gone.example/lost.jpg</span>" in page
    assert "https://gone.example/avatar.png</span>" in page
    assert "archived copy" not in page
