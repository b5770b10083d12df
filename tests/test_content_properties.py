"""Property tests of the front matter and post metadata `publish.py check` reads (Hypothesis):
whatever a writer types, the check answers with Problems naming file and line, or with
none, never with an exception (issue 11, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alusta.check import check_site
from alusta.content import KNOWN_FIELDS, read_source
from alusta.errors import Problem
from alusta.sites import Site

KEYS = st.one_of(
    st.sampled_from([*KNOWN_FIELDS, "Title", "DATE", "Catgory", "x-y", "_"]),
    st.text(max_size=12),
)
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["2026-11-26", "2026-11-26 14:30", "2026-13-45", "0000-00-00", "9999-12-31T23:59:59",
         "2026-11-26T25:00", "draft", "HIDDEN", "fi", "xx", "vaara, muu", ",", "", "ä-ö",
         "[linkki](../kuva.png)", "![](/images/x.jpg)", "{site:vaara}/a", "on", "\x00", "\ufeff"]
    ),
)  # fmt: skip
FIELD_LINES = st.lists(
    st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", KEYS, VALUES),
        st.builds(lambda v: f"    {v}", VALUES),  # a continuation line
        st.sampled_from(["---", "", "   ", "Title:", ": x", "\r"]),
    ),
    max_size=12,
)
BODIES = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["[a](http://[::1)", "[b](https://alusta.example/2026/11/x/)", "![k](kuva.png)",
         "<a href='//x'>x</a>", "[c](mailto:)", "[d](#)", "[e](../../../../etc/passwd)"]
    ),
)  # fmt: skip
DOCUMENTS = st.one_of(
    st.builds(lambda lines, body: "\n".join(lines) + "\n\n" + body, FIELD_LINES, BODIES),
    st.text(max_size=300),
    st.binary(max_size=80).map(lambda data: data.decode("latin-1")),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    content = tmp_path_factory.mktemp("check") / "content"
    (content / "posts").mkdir(parents=True)
    (content / "pages").mkdir()
    return Site("main", "Testi", "", "fi", "https://alusta.example", content)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(DOCUMENTS, st.sampled_from(["posts", "pages"]), st.booleans())
@example("Title: x\nDate: 2026-11-26\nSlug: \n\nteksti", "posts", False)
@example("Date: 9999-12-31T23:59:59\nTitle: x\n", "posts", False)
@example("Title: x\nDate: 2026-11-26\n\n[a](http://[::1)", "posts", False)
@example("\ufeffTitle: x", "pages", True)
def test_any_text_is_problems_or_a_parse_never_an_exception(site, text, folder, raw_bytes):
    path = site.content_dir / folder / "kirjoitus.md"
    for stale in site.content_dir.rglob("*.md"):
        stale.unlink()
    if raw_bytes:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    source = read_source(path, site, "article" if folder == "posts" else "page")
    assert isinstance(source.url, str) and isinstance(source.categories, list)
    sources, problems = check_site(site, {"vaara"})
    assert [s.path for s in sources] == [path]
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == path or Path(problem.path).name
        assert problem.message and "Traceback" not in problem.message
