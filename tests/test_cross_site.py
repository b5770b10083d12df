"""Links between our own sites: by public address or `{site:NAME}/…`, checked and built."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from alusta.build import build_sites
from alusta.check import check_all
from tests.project import project_settings

MAIN_POST = "posts/2026-09-01-alusta-hanke-kaynnistyy.md"
MAIN_URL = "https://alusta.example/2026/09/alusta-hanke-kaynnistyy-lapissa/"
PILOT_URL = "https://alusta.example/pilots/rajalla/2026/09/rajalla-aloittaa-tornionlaaksossa/"


def pilot_post(project: Path, body: str) -> Path:
    path = project / "pilots/rajalla/content/posts/2026-11-25-linkit.md"
    path.write_text(f"Title: Linkit\nDate: 2026-11-25\n\n{body}\n", encoding="utf-8")
    return path


def problems(project: Path) -> list[str]:
    return [str(p) for p in check_all(project_settings(project))]


def test_a_pilot_post_may_link_to_a_main_post_by_its_address(project: Path) -> None:
    pilot_post(project, f"Katso [hanke]({MAIN_URL}).")
    assert problems(project) == []


def test_a_main_post_may_link_to_a_pilot_post_by_its_address(project: Path) -> None:
    post = project / "content/posts/2026-11-25-pilotti.md"
    post.write_text(f"Title: P\nDate: 2026-11-25\n\n[Rajalla]({PILOT_URL})\n", encoding="utf-8")
    assert problems(project) == []


def test_an_address_on_another_of_our_sites_must_exist_there(project: Path) -> None:
    path = pilot_post(project, "[Ei ole](https://alusta.example/2026/09/ei-ole/)")
    assert problems(project) == [
        f"{path}:4: link 'https://alusta.example/2026/09/ei-ole/' points to no page of site 'main'"
    ]


def test_a_site_reference_becomes_the_post_address_in_the_build(project: Path) -> None:
    pilot_post(project, f"Katso [hanke]({{site:main}}/{MAIN_POST}).")
    assert problems(project) == []
    settings = project_settings(project)
    build_sites(settings)
    page = settings.output_dir / "pilots/rajalla/2026/11/linkit/index.html"
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
        ".entry-content a"
    )
    assert [a["href"] for a in links] == [MAIN_URL]
    assert (settings.output_dir / MAIN_URL.removeprefix("https://alusta.example/")).is_dir()


def test_a_site_reference_names_a_missing_site_file_or_draft(project: Path) -> None:
    draft = project / "content/posts/2026-11-26-kesken.md"
    draft.write_text("Title: Kesken\nDate: 2026-11-26\nStatus: draft\n\nx\n", encoding="utf-8")
    path = pilot_post(
        project,
        "[a]({site:mian}/posts/x.md)\n[b]({site:main}/posts/ei-ole.md)\n"
        "[c]({site:main}/posts/2026-11-26-kesken.md)",
    )
    assert problems(project) == [
        f"{path}:4: link '{{site:mian}}/posts/x.md': unknown site 'mian' — did you mean 'main'? "
        "(sites: main, ounasvaara, rajalla)",
        f"{path}:5: link '{{site:main}}/posts/ei-ole.md': "
        "site 'main' has no file 'posts/ei-ole.md'",
        f"{path}:6: link '{{site:main}}/posts/2026-11-26-kesken.md': "
        "'posts/2026-11-26-kesken.md' of site 'main' is a draft or has no date",
    ]


def test_a_link_to_a_draft_by_its_address_is_broken(project: Path) -> None:
    draft = project / "content/posts/2026-11-26-kesken.md"
    draft.write_text("Title: Kesken\nDate: 2026-11-26\nStatus: draft\n\nx\n", encoding="utf-8")
    path = pilot_post(project, "[k](https://alusta.example/2026/11/kesken/)")
    assert problems(project) == [
        f"{path}:4: link 'https://alusta.example/2026/11/kesken/' points to no page of site 'main'"
    ]
