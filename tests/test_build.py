"""Real Pelican builds of the shipped content: layout, taxonomy, feeds, failure handling."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from alusta.build import build_sites
from alusta.build_record import PageKind, load_record, record_path
from alusta.errors import BuildError
from alusta.post_links import post_content
from alusta.settings import Settings
from tests.project import REPO, project_settings

ATOM = "{http://www.w3.org/2005/Atom}"
MULTI_CATEGORY_POST = "2026/09/alusta-hanke-kaynnistyy-lapissa/"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def hrefs(path: Path) -> set[str]:
    return {a["href"] for a in soup(path).find_all("a", href=True)}


def feed_links(path: Path) -> set[str]:
    root = ET.parse(path).getroot()
    return {
        link.get("href")
        for entry in root.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
    }


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def publish(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "publish.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_main_site_and_pilots_are_built_into_one_tree(built_project: Settings) -> None:
    output = built_project.output_dir
    assert (output / "index.html").is_file()
    for pilot in ("rajalla", "ounasvaara"):
        assert (output / "pilots" / pilot / "index.html").is_file()
        assert (output / "pilots" / pilot / "feeds" / "all.atom.xml").is_file()


def test_post_appears_on_every_one_of_its_categories(built_project: Settings) -> None:
    output, base = built_project.output_dir, built_project.main.siteurl
    post_url = f"{base}/{MULTI_CATEGORY_POST}"
    for slug in ("living-lab", "yhteiskehittaminen"):
        assert post_url in hrefs(output / "category" / slug / "index.html")
        assert post_url in feed_links(output / "feeds" / "category" / f"{slug}.atom.xml")
    assert post_url not in hrefs(output / "category" / "sosiaalinen-media" / "index.html")


def entry_terms(path: Path, link: str) -> list[str]:
    """The `<category term>` values of the Atom entry that links to `link`."""
    root = ET.parse(path).getroot()
    for entry in root.iter(f"{ATOM}entry"):
        if link in {item.get("href") for item in entry.iter(f"{ATOM}link")}:
            return [category.get("term") for category in entry.iter(f"{ATOM}category")]
    raise AssertionError(f"no entry for {link} in {path}")


def test_atom_entries_carry_every_category_and_tag(built_project: Settings) -> None:
    output, base = built_project.output_dir, built_project.main.siteurl
    post_url = f"{base}/{MULTI_CATEGORY_POST}"
    expected = ["Living Lab", "Yhteiskehittäminen", "hanke", "living lab", "Lappi"]
    for feed in ("all", "category/living-lab", "category/yhteiskehittaminen", "tag/lappi"):
        assert entry_terms(output / "feeds" / f"{feed}.atom.xml", post_url) == expected, feed


def test_tag_pages_and_feeds_hold_their_posts(built_project: Settings) -> None:
    output, base = built_project.output_dir, built_project.main.siteurl
    tagged = {
        f"{base}/2026/09/mita-on-yhteiskehittaminen/",
        f"{base}/2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella/",
    }
    assert tagged <= hrefs(output / "tag" / "tyopaja" / "index.html")
    assert tagged == feed_links(output / "feeds" / "tag" / "tyopaja.atom.xml")


def test_finnish_letters_are_transliterated_in_slugs(built_project: Settings) -> None:
    output = built_project.output_dir
    assert (output / "category" / "yhteiskehittaminen" / "index.html").is_file()
    assert (output / "tag" / "menetelmat" / "index.html").is_file()
    assert (
        output / "2026/11/kylatalon-tyopaja-mita-akaslompolossa-tarvitaan-talvella" / "index.html"
    ).is_file()


def test_overview_pages_exist(built_project: Settings) -> None:
    output = built_project.output_dir
    for page in (
        "categories",
        "tags",
        "authors",
        "archives",
        "2026",
        "2026/11",
        "author/aino-kallio",
    ):
        assert (output / page / "index.html").is_file(), page


def test_all_categories_page_links_every_category(built_project: Settings) -> None:
    output, base = built_project.output_dir, built_project.main.siteurl
    links = hrefs(output / "categories" / "index.html")
    for slug in ("living-lab", "sosiaalinen-media", "yhteiskehittaminen"):
        assert f"{base}/category/{slug}/" in links


def test_front_page_lists_latest_pilot_posts(built_project: Settings) -> None:
    links = hrefs(built_project.output_dir / "index.html")
    assert (
        "https://alusta.example/pilots/ounasvaara/2026/11/ensimmaiset-palautteet-latukahvilasta/"
        in links
    )
    assert (
        "https://alusta.example/pilots/rajalla/2026/11/vid-gransen-tjanster-pa-bada-sidor-av-alven/"
        in links
    )


def test_pilot_pages_link_to_the_pilot_linked_from_main(built_project: Settings) -> None:
    output = built_project.output_dir
    for link in hrefs(output / "index.html"):
        if "/pilots/" in link and link.startswith("https://alusta.example/"):
            relative = link.removeprefix("https://alusta.example/")
            target = output / relative
            assert (target / "index.html").is_file() or target.is_file(), link


def test_build_record_lists_every_site_page(built_project: Settings) -> None:
    record = load_record(built_project.var_dir)
    assert set(record.sites) == {"main", "rajalla", "ounasvaara"}
    rajalla = {p.url: p for p in record.sites["rajalla"].pages}
    post = rajalla["https://alusta.example/pilots/rajalla/2026/10/kirjastobussi-ylittaa-rajan/"]
    assert post.kind is PageKind.POST
    assert post.path == "2026/10/kirjastobussi-ylittaa-rajan/index.html"
    assert post.source.startswith("pilots/rajalla/content/posts/")
    output = Path(record.sites["rajalla"].output)
    built = (output / post.path).read_bytes()
    assert post.content_hash == hashlib.sha256(built).hexdigest()
    assert rajalla["https://alusta.example/pilots/rajalla/"].kind is PageKind.LISTING
    feeds = [p for p in rajalla.values() if p.kind is PageKind.FEED]
    assert any(p.path == "feeds/all.atom.xml" for p in feeds)
    main = record.sites["main"].pages
    assert not [p for p in main if "/pilots/" in p.url], "pilot pages belong to their own site"


def test_build_record_keeps_each_posts_links_and_language(built_project: Settings) -> None:
    record = load_record(built_project.var_dir)
    for site in record.sites.values():
        for post in site.posts:
            html = (Path(site.output) / post.path).read_text(encoding="utf-8")
            expected = post_content(html, post.url)
            assert (post.entry_hash, post.links) == (expected.content_hash, expected.links)
            full = str(BeautifulSoup(html, "html.parser").find(class_="e-content"))
            assert post.entry_hash == hashlib.sha256(full.encode("utf-8")).hexdigest()
            lang = BeautifulSoup(html, "html.parser").html["lang"]
            assert post.lang == lang, post.url
    assert any(post.links for site in record.sites.values() for post in site.posts)


def test_a_rebuild_reads_again_only_the_posts_whose_file_changed(project: Path) -> None:
    from dataclasses import replace  # noqa: PLC0415

    from alusta.build_record import merged, write_record  # noqa: PLC0415

    settings = project_settings(project)
    build_sites(settings, site_names=["rajalla"])
    record = load_record(settings.var_dir)
    site = record.sites["rajalla"]
    first, second = site.posts[:2]
    marked = tuple(
        replace(p, links=("https://marker.example/",)) if p.path in (first.path, second.path) else p
        for p in site.pages
    )  # a file that is byte for byte the same keeps what the record says about it
    write_record(settings.var_dir, merged(record, [replace(site, pages=marked)]))
    source = project / second.source
    source.write_text(source.read_text() + "\nLisää: <https://uusi.example/>\n")

    build_sites(settings, site_names=["rajalla"])

    again = {p.path: p for p in load_record(settings.var_dir).sites["rajalla"].pages}
    assert again[first.path].links == ("https://marker.example/",)
    assert "https://uusi.example/" in again[second.path].links


def test_failed_build_leaves_previous_output_untouched(project: Path) -> None:
    settings = project_settings(project)
    build_sites(settings)
    before = tree(settings.output_dir)
    (project / "theme/templates/article.html").write_text("{% block broken %}")
    with pytest.raises(BuildError):
        build_sites(settings)
    assert tree(settings.output_dir) == before
    leftovers = [p.name for p in settings.output_dir.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_keep_going_builds_the_rest_and_lists_problems(project: Path) -> None:
    bad = project / "content/posts/rikki.md"
    bad.write_text("Title: Rikki\nDate: huomenna\n\nx\n")
    result = publish(project, "build", "--keep-going")
    assert result.returncode == 1
    assert f"{bad}:2: Date: 'huomenna' is not a date" in result.stderr
    output = project / "output"
    assert (output / "2026/09/mita-on-yhteiskehittaminen/index.html").is_file()
    assert not (output / "rikki").exists()
    assert "rikki" not in (output / "archives/index.html").read_text()
    record = load_record(project / "var")
    assert not record.sites["main"].complete, "a build that left files out says so"


def test_one_site_rebuild_keeps_the_others(project: Path) -> None:
    settings = project_settings(project)
    build_sites(settings)
    main_index = (settings.output_dir / "index.html").read_bytes()
    post = project / "pilots/rajalla/content/posts/2026-11-20-uusi.md"
    post.write_text("Title: Uusi kirjoitus\nDate: 2026-11-20\nCategory: Kokeilut\n\nTeksti.\n")
    build_sites(settings, site_names=["rajalla"])
    assert (settings.output_dir / "index.html").read_bytes() == main_index
    assert (settings.output_dir / "pilots/rajalla/2026/11/uusi-kirjoitus/index.html").is_file()
    assert (settings.output_dir / "pilots/ounasvaara/index.html").is_file()
    build_sites(settings, site_names=["main"])
    assert (settings.output_dir / "pilots/rajalla/2026/11/uusi-kirjoitus/index.html").is_file()


def test_siteurl_override_moves_every_site(project: Path) -> None:
    result = publish(project, "build", "--siteurl", "http://127.0.0.1:8123")
    assert result.returncode == 0, result.stderr
    links = hrefs(project / "output/pilots/rajalla/index.html")
    assert any(u.startswith("http://127.0.0.1:8123/pilots/rajalla/2026/") for u in links)
    assert not any(u.startswith("https://alusta.example") for u in links)


def test_pilot_on_its_own_domain_builds_into_its_own_folder(project: Path) -> None:
    config = project / "pilots/rajalla/pilot.toml"
    config.write_text(
        'siteurl = "https://rajalla.example"\noutput = "output-rajalla"\n' + config.read_text()
    )
    settings = project_settings(project)
    build_sites(settings)
    own = project / "output-rajalla"
    assert (own / "index.html").is_file()
    assert not (settings.output_dir / "pilots/rajalla").exists()
    assert any(u.startswith("https://rajalla.example/2026/") for u in hrefs(own / "index.html"))
    rajalla = load_record(settings.var_dir).sites["rajalla"]
    assert rajalla.output == str(own)
    assert load_record(settings.var_dir).has_page(
        "https://rajalla.example/2026/10/kirjastobussi-ylittaa-rajan/"
    )


def test_new_post_transliterates_the_title_and_builds(project: Path) -> None:
    result = publish(project, "new-post", "Äänestä ÅÄÖ-työpajasta", "--pilot", "ounasvaara")
    assert result.returncode == 0, result.stderr
    created = Path(result.stdout.strip())
    created = created if created.is_absolute() else Path.cwd() / created
    assert created.parent == project / "pilots/ounasvaara/content/posts"
    assert created.name.endswith("-aanesta-aao-tyopajasta.md")
    assert publish(project, "check").returncode == 0


def test_new_pilot_builds_at_once(project: Path) -> None:
    result = publish(project, "new-pilot", "kemijoki", "--name", "Kemijoki")
    assert result.returncode == 0, result.stderr
    assert publish(project, "build").returncode == 0
    assert (project / "output/pilots/kemijoki/tietoa-pilotista/index.html").is_file()
    assert (project / "output/pilots/kemijoki/index.html").is_file()
    again = publish(project, "new-pilot", "kemijoki")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_build_record_leaves_out_pages_of_deleted_posts(tmp_path: Path) -> None:
    from alusta.build_pages import site_pages  # noqa: PLC0415
    from alusta.send.gone import gone_page  # noqa: PLC0415

    (tmp_path / "live").mkdir()
    (tmp_path / "live/index.html").write_text("<!doctype html><title>x</title>")
    (tmp_path / "old").mkdir()
    (tmp_path / "old/index.html").write_text(
        gone_page(lang="fi", site_title="S", siteurl="https://s.example")
    )
    pages = site_pages("https://s.example", tmp_path, [], lang="fi")
    assert [(p.url, p.path) for p in pages] == [("https://s.example/live/", "live/index.html")]


def test_failed_build_records_no_published_posts(project: Path) -> None:
    from alusta.db import connect  # noqa: PLC0415
    from alusta.published import published_posts  # noqa: PLC0415

    settings = project_settings(project)
    build_sites(settings)
    connection = connect(settings.database_path)
    before = published_posts(connection, "main")
    assert before, "a good build records what it published"
    record_before = record_path(settings.var_dir).read_bytes()
    (project / "content/posts/uusi.md").write_text("Title: Uusi\nDate: 2026-11-25\n\nx\n")
    # A file only Pelican reads (reStructuredText without a title) fails the pilot's build.
    (project / "pilots/rajalla/content/posts/rikki.rst").write_text(":date: 2026-01-01\n\nx\n")
    with pytest.raises(BuildError, match="rajalla"):
        build_sites(settings)
    assert published_posts(connection, "main") == before
    assert record_path(settings.var_dir).read_bytes() == record_before
    assert [p.name for p in settings.var_dir.iterdir() if p.name.startswith(".")] == []
    connection.close()
