"""Content images on a real Pelican build: sized, lazy, resized with Pillow, cached by hash.

Images are real PNG/JPEG files written with Pillow; the output is read back with
BeautifulSoup and the variants opened again with Pillow.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from alusta.build import build_sites
from alusta.images import LARGE_IMAGE_BYTES, VARIANT_WIDTHS
from alusta.responses.avatars import STORED_AVATAR_PX, AvatarCache
from tests.project import project_settings
from tests.servers import SourceServer

POST = "content/posts/2026-11-20-kuvia.md"


def photo(path: Path, size: tuple[int, int], *, fmt: str = "JPEG") -> Path:
    """A real image of `size`: a gradient, so the encoder has something to encode."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format=fmt)
    return path


def write_post(root: Path) -> None:
    photo(root / "content/images/tunturi-iso.jpg", (3000, 2000))
    photo(root / "content/images/kyla.png", (1200, 800), fmt="PNG")
    photo(root / "content/images/pieni.png", (300, 200), fmt="PNG")
    (root / POST).write_text(
        "Title: Kuvia tuntureilta\nDate: 2026-11-20 10:00\nCategory: Living Lab\n\n"
        "![Tunturi talvella]({static}/images/tunturi-iso.jpg)\n\n"
        "![Kylä]({static}/images/kyla.png)\n\n"
        "![Piirros]({static}/images/tunturi.svg)\n\n"
        "[![Pieni kuva]({static}/images/pieni.png)](https://example.org/)\n",
        encoding="utf-8",
    )


@pytest.fixture
def image_build(project: Path):
    write_post(project)
    settings = project_settings(project)
    build_sites(settings, site_names=["main"])
    page = settings.output_dir / "2026/11/kuvia-tuntureilta/index.html"
    return settings, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def images(soup: BeautifulSoup) -> dict[str, object]:
    return {img["alt"]: img for img in soup.select(".entry-content img")}


def test_images_get_their_size_and_only_later_ones_load_lazily(image_build) -> None:
    _settings, soup = image_build
    found = images(soup)
    big, village = found["Tunturi talvella"], found["Kylä"]
    assert (big["width"], big["height"]) == ("3000", "2000")
    assert (village["width"], village["height"]) == ("1200", "800")
    assert "loading" not in big.attrs  # the first image is what the reader sees first
    assert village["loading"] == "lazy"
    assert big["decoding"] == village["decoding"] == "async"


def test_variants_are_resized_webp_files_in_the_output(image_build) -> None:
    settings, soup = image_build
    big = images(soup)["Tunturi talvella"]
    candidates = [item.strip().split(" ") for item in big["srcset"].split(",")]
    assert [int(w.removesuffix("w")) for _url, w in candidates] == list(VARIANT_WIDTHS)
    assert big["sizes"]
    for url, width in candidates:
        file = settings.output_dir / url.removeprefix(settings.main.siteurl + "/")
        with Image.open(file) as variant:
            assert variant.format == "WEBP"
            assert variant.size == (int(width[:-1]), round(2000 * int(width[:-1]) / 3000))
    assert big["src"] == candidates[-1][0]
    village_widths = [c.split()[1] for c in images(soup)["Kylä"]["srcset"].split(",")]
    assert village_widths == ["480w", "960w"]  # never wider than the original


def test_the_original_stays_linked_for_the_full_size(image_build) -> None:
    settings, soup = image_build
    link = images(soup)["Tunturi talvella"].find_parent("a")
    assert link["href"] == f"{settings.main.siteurl}/images/tunturi-iso.jpg"
    original = settings.output_dir / "images/tunturi-iso.jpg"
    assert original.read_bytes() == (settings.root / "content/images/tunturi-iso.jpg").read_bytes()
    small = images(soup)["Pieni kuva"]
    assert small.find_parent("a")["href"] == "https://example.org/"  # the writer's own link
    assert "srcset" not in small.attrs and small["width"] == "300"


def test_svg_images_are_left_as_written(image_build) -> None:
    _settings, soup = image_build
    svg = images(soup)["Piirros"]
    assert "srcset" not in svg.attrs  # no variants (its width/height come from the file)
    assert svg.find_parent("a") is None


def test_variants_are_made_once_per_content_hash(image_build) -> None:
    settings, _soup = image_build
    cache = settings.var_dir / "images"
    made = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.webp")}
    assert len(made) == 5
    root = settings.root
    (root / "content/images/sama-kuva.jpg").write_bytes(
        (root / "content/images/tunturi-iso.jpg").read_bytes()
    )
    post = root / POST
    post.write_text(
        post.read_text(encoding="utf-8") + "\n![Sama]({static}/images/sama-kuva.jpg)\n",
        encoding="utf-8",
    )
    build_sites(settings, site_names=["main"])
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.webp")} == made


def noise_png(path: Path, over_bytes: int) -> Path:
    """A PNG of random pixels (incompressible), just over `over_bytes`."""
    side = int((over_bytes / 3) ** 0.5) + 16
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, format="PNG")
    return path


def test_an_image_over_the_size_cap_is_a_build_warning(project: Path) -> None:
    noise_png(project / "content/images/raskas.png", LARGE_IMAGE_BYTES)
    (project / POST).write_text(
        "Title: Raskas\nDate: 2026-11-20\n\n![Kohinaa]({static}/images/raskas.png)\n",
        encoding="utf-8",
    )
    report = build_sites(project_settings(project), site_names=["main"])
    warnings = [w for r in report.sites for w in r.warnings]
    assert any("raskas.png" in w and "MB" in w for w in warnings), warnings


def test_avatars_are_stored_at_twice_their_display_size(tmp_path: Path) -> None:
    big = io.BytesIO()
    Image.linear_gradient("L").resize((400, 400)).save(big, format="PNG")
    with SourceServer() as server:
        url = server.route("/kasvot.png", body=big.getvalue(), content_type="image/png")
        cache = AvatarCache(tmp_path / "avatars", allow_private=True)
        cache.fetch_missing({url})
    with Image.open(cache.cached(url)) as stored:
        assert stored.size == (STORED_AVATAR_PX, STORED_AVATAR_PX) == (96, 96)
