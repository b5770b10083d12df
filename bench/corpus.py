"""A synthetic Finnish corpus for the build benchmark: a copy of the project with many posts."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = [
    "kylä",
    "tunturi",
    "raja",
    "palvelu",
    "asukas",
    "yhteiskehittäminen",
    "kokeilu",
    "talvi",
    "kesä",
    "latu",
    "kirjasto",
    "kuljetus",
    "matkailu",
    "yrittäjä",
    "kunta",
    "palaute",
    "työpaja",
    "ideointi",
    "käyttäjä",
    "kehittäminen",
    "lumi",
    "pimeä",
    "aika",
    "valo",
    "joki",
    "silta",
    "kauppa",
    "terveyskeskus",
    "koulu",
    "nuoret",
    "ikääntyneet",
    "perhe",
    "yhdistys",
    "hanke",
    "rahoitus",
    "tulos",
    "arviointi",
    "oppiminen",
    "verkosto",
    "yhteistyö",
    "alue",
    "elinvoima",
    "luonto",
    "porotalous",
    "saamelaiskulttuuri",
    "ruska",
    "revontulet",
    "hiihto",
    "pyöräily",
    "vaellus",
    "opastus",
    "tapahtuma",
]
CATEGORIES = [
    "Living Lab",
    "Sosiaalinen media",
    "Yhteiskehittäminen",
    "Kokeilut",
    "Matkailu",
    "Rajayhteistyö",
    "Tapahtumat",
    "Tutkimus",
]
TAGS = [f"aihe {w}" for w in WORDS[:40]]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 14))
    return " ".join(words).capitalize() + "."


def _post(rng: random.Random, number: int, date: datetime) -> str:
    title = " ".join(rng.choices(WORDS, k=4)).capitalize() + f" {number}"
    categories = ", ".join(rng.sample(CATEGORIES, k=rng.randint(1, 3)))
    tags = ", ".join(rng.sample(TAGS, k=rng.randint(2, 5)))
    paragraphs = "\n\n".join(" ".join(_sentence(rng) for _ in range(5)) for _ in range(4))
    return (
        f"Title: {title}\nDate: {date:%Y-%m-%d %H:%M}\nCategory: {categories}\n"
        f"Tags: {tags}\nAuthor: Kirjoittaja {number % 7}\n\n## Johdanto\n\n{paragraphs}\n"
    )


def write_posts(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2022, 1, 1, 9, 0)
    for number in range(count):
        date = start + timedelta(hours=number * 17)
        (folder / f"post-{number:05d}.md").write_text(_post(rng, number, date), encoding="utf-8")


def make_project(root: Path, *, main_posts: int, pilot_posts: int) -> Path:
    """A project with the real theme, plugins and configs and a generated corpus."""
    root.mkdir(parents=True, exist_ok=True)
    for part in ("theme", "plugins", "pilots"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pelicanconf.py", root / "pelicanconf.py")
    shutil.copytree(REPO / "content" / "pages", root / "content" / "pages")
    write_posts(root / "content" / "posts", main_posts, seed=1)
    for seed, pilot in enumerate(sorted((root / "pilots").iterdir()), start=2):
        shutil.rmtree(pilot / "content" / "posts")
        write_posts(pilot / "content" / "posts", pilot_posts, seed=seed)
    return root
