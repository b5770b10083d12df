"""The posts every build published (alusta.published): gone until they return."""

from __future__ import annotations

from alusta.published import published_posts, record_build


def test_a_build_marks_missing_posts_gone_until_they_return(connection):
    record_build(connection, "main", {"a/": "a/index.html", "b/": "b/index.html"}, now=1)

    gone = record_build(connection, "main", {"a/": "a/index.html"}, now=2)
    back = record_build(connection, "main", {"a/": "a/index.html", "b/": "b/index.html"},
                              now=3)  # fmt: skip

    assert [p.path for p in gone] == ["b/"]
    assert back == []


def test_a_build_that_left_files_out_marks_nothing_gone(connection):
    record_build(connection, "main", {"a/": "a/index.html"}, now=1)

    gone = record_build(connection, "main", {}, now=2, mark_gone=False)

    assert gone == []


def test_sites_do_not_mark_each_others_posts_gone(connection):
    record_build(connection, "main", {"a/": "a/index.html"}, now=1)

    record_build(connection, "rajalla", {"c/": "c/index.html"}, now=2)

    assert [p.gone for p in published_posts(connection, "main")] == [False]
