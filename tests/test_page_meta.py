"""alusta.page_meta: og:image, neighbours' order and picture sizes, on real files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from PIL import Image

from alusta.page_meta import first_image, link_neighbours, local_file_finder, size_images

SITE = "https://alusta.example/"


def test_first_image_is_made_absolute_and_only_http() -> None:
    post = "https://alusta.example/2026/11/post/"
    assert first_image('<p><img alt="" src="../kuva.png"></p>', post) == (
        "https://alusta.example/2026/11/kuva.png"
    )
    assert first_image("<img src='data:image/png;base64,AAAA'>", post) == ""
    assert first_image("<p>no picture</p>", post) == ""


def test_neighbours_follow_the_date() -> None:
    posts = [SimpleNamespace(date=datetime(2026, 11, d), url=f"p{d}/") for d in (20, 1, 10)]
    link_neighbours(posts)
    first, middle = posts[1], posts[2]
    assert (first.alusta_older, first.alusta_newer) == (None, middle)
    assert (middle.alusta_older, middle.alusta_newer) == (first, posts[0])


def test_local_pictures_get_their_width_and_height(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    Image.new("RGB", (320, 200)).save(content / "images" / "kuva.png")
    (content / "images" / "piirros.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 240"></svg>', "utf-8"
    )
    (tmp_path / "salainen.png").write_bytes((content / "images" / "kuva.png").read_bytes())
    finder = local_file_finder(SITE, content, content / "posts")
    html = (
        '<img alt="a" src="{static}/images/kuva.png" />'
        f'<img alt="b" src="{SITE}images/piirros.svg">'
        '<img alt="c" src="https://muu.example/kuva.png">'
        '<img alt="d" src="{static}/images/kuva.png" width="10">'
        '<img alt="e" src="{static}/../salainen.png">'
        '<img alt="f" src="{static}/images/puuttuu.png">'
    )
    assert size_images(html, finder) == (
        '<img alt="a" src="{static}/images/kuva.png" width="320" height="200" />'
        f'<img alt="b" src="{SITE}images/piirros.svg" width="640" height="240">'
        '<img alt="c" src="https://muu.example/kuva.png">'
        '<img alt="d" src="{static}/images/kuva.png" width="10">'
        '<img alt="e" src="{static}/../salainen.png">'
        '<img alt="f" src="{static}/images/puuttuu.png">'
    )
