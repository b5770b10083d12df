"""`publish.py import wordpress` on the fixture exports, into a copy of the project.

Files are read back as a writer would see them; responses from the real SQLite file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from alusta.feedback.config import instance_secret
from alusta.feedback.hashing import email_hash
from alusta.settings import load_settings
from tests.wordpress_project import (
    BLOCK,
    CLASSIC,
    DRAFT_TEXT,
    SECRETS,
    UPLOADS,
    database_dump,
    import_wordpress_cli,
    snapshot,
)

POST = "posts/2014-05-01-kylatalon-talvi.md"
DRAFT = "posts/2014-07-01-keskenerainen-luonnos.md"
SECOND = "posts/2014-06-02-toinen-kirjoitus.md"
PAGE = "pages/tietoa.md"


@pytest.fixture
def imported(project: Path) -> Path:
    result = import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS))
    assert result.exit_code == 0, result.output
    assert "main: 4 post(s) and page(s) (1 as drafts)," in result.output
    assert "left out: 1 nav_menu_item, 1 password-protected, 1 private" in result.output
    return project


def content(root: Path, relative: str) -> str:
    return (root / "content" / relative).read_text(encoding="utf-8")


def responses(root: Path) -> dict[str, sqlite3.Row]:
    connection = sqlite3.connect(root / "var" / "alusta.sqlite3")
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute("SELECT * FROM mentions").fetchall()
    finally:
        connection.close()
    return {row["source"]: row for row in rows}


def test_published_posts_and_pages_become_markdown_with_their_metadata(imported: Path) -> None:
    text = content(imported, POST)
    head = text.split("\n\n", 1)[0].splitlines()
    assert head == [
        "Title: Kylätalon talvi & “nettialustat”",
        "Date: 2014-05-01 13:00",  # 10:00 GMT in Helsinki summer time
        "Modified: 2014-05-03 09:15",
        "Author: Maija Meikäläinen",  # the display name, not the login
        "Category: Living Lab, Kylät",  # "Living lab" joins the site's "Living Lab"
        "Tags: talvi",
        "Slug: kylatalon-talvi",
        "Summary: Talvi tuli kylään aikaisin. Lunta satoi kolme päivää. Toisessa kappaleessa "
        "on sitaatti: “pimeä aika” ja linkki toiseen kirjoitukseen sekä tietosivulle.",
    ]
    assert "Summary: Lyhyt tiivistelmä toisesta kirjoituksesta." in content(imported, SECOND)
    assert content(imported, PAGE).startswith("Title: Tietoa\n")


def test_classic_text_keeps_wordpress_paragraphs_captions_galleries_and_embeds(
    imported: Path,
) -> None:
    body = content(imported, POST).split("\n\n", 1)[1]
    assert "Talvi tuli kylään aikaisin.  \nLunta satoi kolme päivää.\n\n" in body  # wpautop <br>
    assert "on sitaatti: “pimeä aika”" in body  # &nbsp; and &#8220; decoded
    assert (
        '<figure><a href="{static}/images/2014/05/tunturi.jpg"><img alt="Tunturi talvella" '
        'height="200" src="{static}/images/2014/05/tunturi.jpg" width="300"/></a>'
        "<figcaption>Pallastunturi helmikuussa</figcaption></figure>"
    ) in body
    assert '<figure class="gallery">' in body and "Kylänraitti" in body
    assert "- **Kuljetukset** kauppaan\n- *Ladut*" in body
    assert "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>" in body
    for shortcode in ("[caption", "[gallery", "<!--more", "-300x200", "srcset"):
        assert shortcode not in body


def test_every_form_of_internal_link_points_to_the_new_file(imported: Path) -> None:
    first, second = content(imported, POST), content(imported, SECOND)
    assert "[toiseen kirjoitukseen]({filename}/posts/2014-06-02-toinen-kirjoitus.md)" in first
    assert "[tietosivulle]({filename}/pages/tietoa.md)" in first
    assert "[liitesivulle]({static}/images/2014/05/kyla.jpg)" in first  # attachment page
    assert "[kylätaloon]({filename}/posts/2014-05-01-kylatalon-talvi.md)" in second  # /path
    assert "({filename}/posts/2014-05-01-kylatalon-talvi.md#comment-101)" in second  # www.
    assert "![Kylä]({static}/images/2014/05/kyla.jpg)" in second
    assert "[kylät-arkisto]({category}kylat)" in second
    assert "[ensimmäinen kirjoitus]({filename}/posts/2014-05-01-kylatalon-talvi.md)" in content(
        imported, PAGE
    )
    for relative in (POST, SECOND, PAGE):
        assert "old.example" not in content(imported, relative)
    images = imported / "content" / "images" / "2014" / "05"
    assert (images / "tunturi.jpg").read_bytes() == (UPLOADS / "2014/05/tunturi.jpg").read_bytes()
    assert (images / "kyla.jpg").is_file()


def test_check_passes_after_the_import(imported: Path) -> None:
    from alusta.check import check_all  # noqa: PLC0415

    assert check_all(load_settings(imported, environ={})) == []


def test_nothing_private_is_written_and_the_draft_comes_as_a_draft(imported: Path) -> None:
    files, _rows = snapshot(imported)
    written = b"\n".join(files.values()).decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in written
    assert not (imported / "content" / "images" / "2014" / "07").exists()  # private post's image
    assert sorted(f for f in files if f.startswith(("posts/2014", "pages/tietoa.md"))) == [
        PAGE,
        POST,
        SECOND,
        DRAFT,
    ]
    draft = content(imported, DRAFT)
    assert "\nStatus: draft\n" in draft and DRAFT_TEXT in draft
    assert "Date: 2014-07-01 10:00\n" in draft  # WordPress left its GMT date empty
    assert "Category: Keskeneräiset\n" in draft


def test_no_old_address_or_archive_leads_to_a_draft(imported: Path) -> None:
    """WordPress never published the draft: no redirect names it, and its category, which
    no published post has, gets no archive redirect either."""
    redirects = (imported / "content" / "redirects.toml").read_text(encoding="utf-8")
    assert "keskenerainen-luonnos" not in redirects.split("[imported]")[0]
    assert "?p=4" not in redirects and "keskeneraiset" not in redirects


def test_comments_are_threaded_moderated_and_keep_no_address(imported: Path) -> None:
    rows = responses(imported)
    link = "https://old.example/2014/05/kylatalon-talvi/#comment-"
    first, reply, third = rows[f"{link}101"], rows[f"{link}102"], rows[f"{link}103"]
    assert first["protocol"] == "comment" and first["kind"] == "reply"
    assert first["target"] == "https://alusta.example/2014/05/kylatalon-talvi/"
    assert (first["status"], first["job"], first["in_reply_to"]) == ("approved", "done", "")
    assert reply["in_reply_to"] == f"{link}101" and third["in_reply_to"] == f"{link}102"
    assert first["author_name"] == "Anna Asukas" and first["author_url"] == "https://anna.example/"
    assert first["published"] == "2014-05-02T09:00:00+00:00"
    assert first["content_html"] == "<p>Hyvä kirjoitus!<br>\nKuljetukset ovat tärkeitä. </p>"
    assert rows[f"{link}104"]["status"] == "pending"
    assert f"{link}105" not in rows and f"{link}106" not in rows  # spam and trash
    secret = instance_secret(load_settings(imported, environ={}))
    assert first["author_email_hash"] == third["author_email_hash"]  # ANNA@ is anna@
    assert first["author_email_hash"] == email_hash(secret, "anna@commenter.example")
    ville = rows["https://old.example/2014/06/toinen-kirjoitus/#comment-110"]
    assert ville["author_url"] == ""  # javascript: is no address
    dump = database_dump(imported)
    for secret_text in (*SECRETS[1:], "SECRET-SPAM", "SECRET-TRASH", "SECRET-PRIVATE"):
        assert secret_text not in dump  # the pending comment waits in the database, nothing else


def test_pingbacks_and_trackbacks_keep_their_titles_and_internal_ones_the_new_address(
    imported: Path,
) -> None:
    rows = responses(imported)
    outside = rows["https://elava.example/2014/05/benchmark/"]
    assert outside["protocol"] == "pingback" and outside["status"] == "approved"
    assert outside["title"] == (
        "Bencmarkkasimme Living lab “nettialustat”, mitä löytyi? | Elävä Lappi – Living lab"
    )
    assert outside["excerpt"] == "[…] kuten Elävä Lappi kirjoitti kylätalon talvesta […]"
    assert rows["https://raja.example/uutiset/talvi"]["protocol"] == "pingback"  # trackback
    internal = rows["https://alusta.example/2014/06/toinen-kirjoitus/"]
    assert internal["target"] == "https://alusta.example/2014/05/kylatalon-talvi/"


def test_block_editor_export_keeps_its_html_without_block_comments(project: Path) -> None:
    result = import_wordpress_cli(project, BLOCK, "--uploads", str(UPLOADS))
    assert result.exit_code == 0, result.output
    assert "left out: 1 nav_menu_item, 1 revision" in result.output
    text = content(project, "posts/2024-02-11-aijan-lohkot.md")  # %c3%a4ij%c3%a4n -> aijan
    assert "Date: 2024-02-11 00:30" in text and "Summary: Lohkoeditorin kappale" in text
    assert "<!--" not in text and "SECRET" not in text
    assert "[sivu]({filename}/pages/yhteystiedot.md)" in text  # ?page_id= in a /blog folder
    assert "## Väliotsikko" in text and "- Yksi\n- Kaksi" in text
    assert 'src="{static}/images/2024/02/revontulet.jpg"' in text  # the -1024x683 copy's original
    assert "<figcaption" in text and "Revontulet helmikuussa" in text
    assert '<a href="https://vimeo.com/123456">' in text
    redirects = content(project, "redirects.toml")
    assert '"/blog/aijan-lohkot/" = "2024/02/aijan-lohkot/"' in redirects
    assert '"/blog/?p=40" = "2024/02/aijan-lohkot/"' in redirects


def test_second_import_adds_and_changes_nothing(imported: Path) -> None:
    before = snapshot(imported)
    result = import_wordpress_cli(imported, CLASSIC, "--uploads", str(UPLOADS))
    assert result.exit_code == 0, result.output
    assert "0 post(s) and page(s), 0 media file(s), 0 response(s)" in result.output
    assert "4 already imported" in result.output  # the draft too
    assert snapshot(imported) == before


def test_a_writers_edit_survives_a_second_import(imported: Path) -> None:
    path = imported / "content" / POST
    path.write_text(path.read_text(encoding="utf-8") + "\nKirjoittajan lisäys.\n", "utf-8")
    assert import_wordpress_cli(imported, CLASSIC, "--uploads", str(UPLOADS)).exit_code == 0
    assert "Kirjoittajan lisäys." in path.read_text(encoding="utf-8")


def test_dry_run_lists_what_it_would_write_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would write {POST}" in result.output
    assert "would write images/2014/05/tunturi.jpg" in result.output
    assert "8 response(s) (1 waiting for moderation)" in result.output
    assert snapshot(project) == before
    assert not list((project / "var").glob("import-*")) if (project / "var").exists() else True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CLASSIC.read_text(encoding="utf-8")[:9000], ":151: not well-formed XML (column 20)"),
        (
            CLASSIC.read_text(encoding="utf-8").replace("</wp:post_id>", "</wp:post>", 1),
            ":52: not well-formed XML",
        ),
        ("<html><body>hei</body></html>", "not a WordPress export: it starts with <html>"),
        ('<?xml version="1.0"?><rss><channel><item/></channel></rss>', "no <wp:wxr_version>"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss>&a;</rss>',
            "refused: the file declares a DTD or entities",
        ),
    ],
    ids=["truncated", "mismatched-tag", "html", "plain-rss", "entities"],
)
def test_a_bad_file_is_one_sentence_and_changes_nothing(
    project: Path, tmp_path: Path, text: str, expected: str
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    before = snapshot(project)
    result = import_wordpress_cli(project, export, "--uploads", str(UPLOADS))
    assert result.exit_code == 1
    assert expected in result.output and str(export) in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(project) == before


def test_an_address_taken_by_an_existing_post_stops_the_import(project: Path) -> None:
    existing = project / "content" / "posts" / "2014-05-01-oma.md"
    existing.write_text(
        "Title: Oma kirjoitus\nDate: 2014-05-01 08:00\nSlug: kylatalon-talvi\n\nTeksti.\n", "utf-8"
    )
    before = snapshot(project)
    result = import_wordpress_cli(project, CLASSIC, "--uploads", str(UPLOADS))
    assert result.exit_code == 1
    assert f"{existing} already has the address /2014/05/kylatalon-talvi/" in result.output
    assert "WordPress post 1 ('Kylätalon talvi & “nettialustat”')" in result.output
    assert snapshot(project) == before


def test_a_moderator_approves_a_waiting_imported_comment(imported: Path) -> None:
    from click.testing import CliRunner  # noqa: PLC0415

    from publish import cli  # noqa: PLC0415

    waiting = responses(imported)["https://old.example/2014/05/kylatalon-talvi/#comment-104"]
    result = CliRunner().invoke(
        cli, ["--root", str(imported), "mentions", "approve", str(waiting["id"])]
    )
    assert result.exit_code == 0, result.output
    approved = responses(imported)[waiting["source"]]
    assert approved["status"] == "approved" and approved["job"] == "done"


def test_an_export_goes_into_a_pilot_with_site(project: Path) -> None:
    result = import_wordpress_cli(project, BLOCK, "--uploads", str(UPLOADS), "--site", "rajalla")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("rajalla: 2 post(s) and page(s)")
    pilot = project / "pilots" / "rajalla" / "content"
    assert (pilot / "posts" / "2024-02-11-aijan-lohkot.md").is_file()
    assert (pilot / "images" / "2024" / "02" / "revontulet.jpg").is_file()
    assert '"/blog/?p=40" = "2024/02/aijan-lohkot/"' in (pilot / "redirects.toml").read_text(
        "utf-8"
    )
    assert not (project / "content" / "posts" / "2024-02-11-aijan-lohkot.md").exists()
    rows = responses(project)
    liisa = rows["https://blocks.example/blog/aijan-lohkot/#comment-201"]
    assert liisa["site"] == "rajalla"
    assert liisa["target"] == "https://alusta.example/pilots/rajalla/2024/02/aijan-lohkot/"
    from alusta.check import check_all  # noqa: PLC0415

    assert check_all(load_settings(project, environ={}), ["rajalla"]) == []


def test_an_unknown_site_is_named_with_the_known_ones(project: Path) -> None:
    result = import_wordpress_cli(project, CLASSIC, "--site", "rajala")
    assert result.exit_code == 1 and "unknown site 'rajala'" in result.output
    assert "Traceback" not in result.output
