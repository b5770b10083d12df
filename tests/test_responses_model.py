"""Pure parts of alusta.responses: grouping, hostile fields, JF2 mapping, image sniffing,
markers. (Everything that touches files, servers or Pelican is in the other test files.)"""

from __future__ import annotations

import pytest

from alusta.models import MentionKind
from alusta.responses.avatars import image_type, placeholder
from alusta.responses.model import group_responses, make_response, responses_digest
from alusta.responses.render import END, MarkersMissing, shown_digest, splice
from alusta.responses.sources import from_jf2

POST = "https://alusta.example/2026/11/kirjoitus/"


def response(number: int, kind: str = "reply", **fields):
    defaults = {
        "source": f"https://s{number}.example/",
        "target": POST,
        "received": f"2026-11-2{number}T10:00:00+00:00",
    }
    return make_response(id=number, kind=MentionKind(kind), **{**defaults, **fields})


def test_replies_follow_publication_time_and_the_rest_arrival_order() -> None:
    late_written = response(1, published="2026-11-25T10:00:00+02:00")
    early_written = response(2, published="2026-11-01T10:00:00+02:00")
    undated = response(3)  # received 2026-11-23
    likes = [response(5, "like"), response(4, "like")]
    grouped = group_responses(POST, [late_written, early_written, undated, *likes])
    assert [r.id for r in grouped.replies] == [2, 3, 1]
    assert [r.id for r in grouped.likes] == [4, 5]
    assert grouped.count == 5


def test_the_digest_ignores_order_and_sees_any_change() -> None:
    first, second = response(1), response(2)
    assert responses_digest([first, second]) == responses_digest([second, first])
    edited = response(2, content_html="<p>muokattu</p>")
    assert responses_digest([first, second]) != responses_digest([first, edited])
    assert responses_digest([]) != responses_digest([first])


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "/relative", "", "https://"]
)
def test_non_http_urls_are_dropped(url: str) -> None:
    assert response(1, author_url=url, author_photo=url).author_url == ""
    assert response(1, author_photo=url).author_photo == ""
    assert response(1, source=url) is None


def test_texts_are_capped_and_html_sanitised_again() -> None:
    hostile = response(
        1, author_name="x" * 500, content_html='<p onclick="x()">a<script>b()</script></p>'
    )
    assert len(hostile.author_name) == 120 and hostile.author_name.endswith("…")
    assert hostile.content_html == "<p>a</p>"


def test_jf2_entries_map_to_kinds_and_pingbacks_keep_their_title() -> None:
    pingback = from_jf2(
        {
            "wm-id": 7,
            "wm-property": "mention-of",
            "wm-protocol": "pingback",
            "wm-target": POST,
            "url": "https://b.example/k",
            "name": None,
            "wm-title": "Blogi",
            "wm-received": "2026-11-20T10:00:00+00:00",
        }
    )
    assert pingback.kind == MentionKind.PINGBACK and pingback.name == "Blogi"
    assert (
        from_jf2(
            {"wm-id": 8, "wm-property": "like-of", "wm-target": POST, "url": "https://l.example/"}
        ).kind
        == MentionKind.LIKE
    )
    assert (
        from_jf2(
            {"wm-id": "8", "wm-property": "like-of", "wm-target": POST, "url": "https://l.example/"}
        )
        is None
    )
    assert (
        from_jf2(
            {"wm-id": 9, "wm-property": "rsvp", "wm-target": POST, "url": "https://l.example/"}
        )
        is None
    )


def test_only_raster_images_are_recognised() -> None:
    assert image_type(b"\x89PNG\r\n\x1a\n....") == "png"
    assert image_type(b"\xff\xd8\xff\xe0....") == "jpg"
    assert image_type(b"GIF89a....") == "gif"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_type(b"<svg xmlns='http://www.w3.org/2000/svg'>") is None
    assert image_type(b"<html><img src=x onerror=alert(1)>") is None


def test_placeholders_take_two_initials() -> None:
    assert placeholder("aino maria esimerkki").initials == "AM"
    assert placeholder("").initials == "?"
    assert placeholder("Åsa").colour == placeholder("Åsa").colour


def test_splice_replaces_exactly_the_marked_fragment() -> None:
    page = f"<p>a</p><!--alusta:responses:start 0123abcd-->old{END}<p>b</p>"
    assert shown_digest(page) == "0123abcd"
    new = f"<!--alusta:responses:start ffff-->new{END}"
    assert splice(page, new) == f"<p>a</p>{new}<p>b</p>"
    with pytest.raises(MarkersMissing):
        splice("<p>no markers</p>", new)
    assert shown_digest("<p>no markers</p>") is None


def test_replies_nest_under_the_earlier_reply_they_answer() -> None:
    first = response(1)
    answer = response(2, in_reply_to="https://s1.example/")
    answer_to_answer = response(3, in_reply_to="HTTPS://S2.example/")  # any spelling
    unknown_parent = response(4, in_reply_to="https://gone.example/")
    like = response(5, "like", in_reply_to="https://s1.example/")
    grouped = group_responses(POST, [answer_to_answer, unknown_parent, like, answer, first])

    (top, orphan) = grouped.threads()
    assert [top.response.id, orphan.response.id] == [1, 4]
    assert [t.response.id for t in top.replies] == [2]
    assert [t.response.id for t in top.replies[0].replies] == [3]
    assert (len(grouped.replies), len(grouped.likes)) == (4, 1)  # counts stay per kind


def test_replies_naming_each_other_are_all_still_shown() -> None:
    first = response(1, in_reply_to="https://s2.example/")
    second = response(2, in_reply_to="https://s1.example/")
    (thread,) = group_responses(POST, [first, second]).threads()
    assert (thread.response.id, [t.response.id for t in thread.replies]) == (1, [2])


def test_comments_of_one_page_thread_by_their_fragment() -> None:
    old = "https://vanha.example/2019/postaus/#comment-"
    first = response(1, source=f"{old}101")
    second = response(2, source=f"{old}102")
    answer = response(3, source=f"{old}103", in_reply_to=f"{old}102")
    (one, two) = group_responses(POST, [first, second, answer]).threads()
    assert (one.replies, [t.response.id for t in two.replies]) == ([], [3])


def test_a_parent_that_is_not_http_is_dropped() -> None:
    assert response(1, in_reply_to="javascript:alert(1)").in_reply_to == ""


def test_jf2_carries_the_parent_of_a_threaded_reply() -> None:
    entry = {
        "wm-id": 7,
        "wm-property": "in-reply-to",
        "wm-target": POST,
        "url": "https://b.example/r",
        "wm-received": "2026-11-20T10:00:00Z",
        "alusta-in-reply-to": "https://a.example/r",
    }
    assert from_jf2(entry).in_reply_to == "https://a.example/r"
