"""Pingback 1.0 over XML-RPC, driven by the standard library's xmlrpc.client."""

from __future__ import annotations

import contextlib
import xmlrpc.client

import httpx
import pytest
from click.testing import CliRunner
from defusedxml import DTDForbidden

from alusta import pingback
from alusta.app import create_app
from alusta.db import connect
from alusta.models import Mention
from alusta.store import mention_by_id
from publish import cli
from tests.endpoint_server import (
    DEADLINE_SECONDS,
    MAIN_URL,
    POST,
    RunningEndpoint,
    endpoint_settings,
    plain_page,
)
from tests.waiting import wait_until

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value><string>&lol9;</string></value></param>
<param><value><string>x</string></value></param></params></methodCall>"""


def ping(endpoint: RunningEndpoint, source: str, target: str = POST) -> str:
    proxy = xmlrpc.client.ServerProxy(endpoint.url("/xmlrpc"))
    return proxy.pingback.ping(source, target)


def fault_of(endpoint: RunningEndpoint, source: str, target: str = POST) -> int:
    with pytest.raises(xmlrpc.client.Fault) as caught:
        ping(endpoint, source, target)
    return caught.value.faultCode


def linking_page(title: str = "Blogini: vastaus") -> bytes:
    words = " ".join(f"sana{i}" for i in range(80))
    return plain_page(
        f'<p>{words} Luin <a href="{POST}">tämän kirjoituksen</a> ja {words}</p>', title=title
    )


def test_pingback_is_verified_stored_with_title_and_excerpt(endpoint, source_server):
    source = source_server.route("/post", body=linking_page())
    message = ping(endpoint, source)
    assert source in message and POST in message
    (entry,) = endpoint.feed(target=POST)  # stored and approved before the answer
    assert entry["wm-protocol"] == "pingback"
    assert entry["wm-property"] == "mention-of"
    assert entry["wm-title"] == "Blogini: vastaus"
    assert "tämän kirjoituksen" in entry["wm-excerpt"]
    assert len(entry["wm-excerpt"]) < 600


def test_second_ping_of_the_same_pair_is_already_registered(endpoint, source_server):
    source = source_server.route("/post", body=linking_page())
    ping(endpoint, source)
    assert fault_of(endpoint, source) == 0x30


def test_fault_codes_follow_the_specification(endpoint, source_server):
    nolink = source_server.route("/nolink", body=plain_page("<p>nothing</p>"))
    assert fault_of(endpoint, source_server.url("/missing")) == 0x10
    assert fault_of(endpoint, nolink) == 0x11
    linking = source_server.route("/post", body=linking_page())
    assert fault_of(endpoint, linking, f"{MAIN_URL}/posts/nope.html") == 0x20
    assert fault_of(endpoint, linking, "https://elsewhere.example/post") == 0x21
    assert endpoint.feed(admin=True) == []  # failures store nothing


def test_private_source_is_access_denied_in_production(tmp_path, source_server):
    source = source_server.route("/post", body=linking_page())
    settings = endpoint_settings(tmp_path / "project", allow_private=False)
    with RunningEndpoint(create_app(settings)) as endpoint:
        assert fault_of(endpoint, source) == 0x31
    assert source_server.total_hits == 0


def test_a_blocked_source_is_answered_with_success_and_rejected_unfetched(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    blocked = CliRunner().invoke(
        cli, ["--root", str(settings.root), "mentions", "block", "127.0.0.1"]
    )
    assert blocked.exit_code == 0, blocked.output
    source = source_server.route("/post", body=linking_page())
    with RunningEndpoint(create_app(settings)) as endpoint:
        assert "registered" in ping(endpoint, source)
        wait_until(
            lambda: (stored := endpoint.feed(admin=True)) and stored[0]["wm-status"] == "rejected",
            seconds=DEADLINE_SECONDS,
            what="the blocked ping to be rejected",
        )
        assert endpoint.feed(target=POST) == []
    assert source_server.total_hits == 0


def test_the_approval_hook_hears_of_a_pingback_after_its_commit(tmp_path, source_server):
    settings = endpoint_settings(tmp_path / "project")
    heard = []

    def hear(mention: Mention) -> None:
        with contextlib.closing(connect(settings.database_path, migrate=False)) as connection:
            heard.append(mention_by_id(connection, mention.id))

    source = source_server.route("/post", body=linking_page())
    with RunningEndpoint(create_app(settings, on_approved=hear)) as endpoint:
        ping(endpoint, source)  # the hook runs before the answer
    (mention,) = heard
    assert (mention.source, mention.protocol, mention.status) == (source, "pingback", "approved")


def test_unknown_method_and_wrong_params_are_faults(endpoint):
    proxy = xmlrpc.client.ServerProxy(endpoint.url("/xmlrpc"))
    with pytest.raises(xmlrpc.client.Fault) as caught:
        proxy.system.listMethods()
    assert caught.value.faultCode == -32601
    with pytest.raises(xmlrpc.client.Fault) as caught:
        proxy.pingback.ping("only one")
    assert caught.value.faultCode == -32602


@pytest.mark.parametrize(
    "body",
    [
        b"<methodCall><methodName>pingback.ping</methodName><params>",
        b"not xml at all",
        b"",
        b"<methodCall><methodName>pingback.ping</methodCall></methodName>",
        b"<?xml version='1.0'?><methodCall><methodName>pingback.ping</methodName><params>"
        b"<param><value><int>twelve</int></value></param></params></methodCall>",
    ],
)
def test_malformed_xml_is_a_parse_fault_not_an_error_page(endpoint, body):
    response = endpoint.client.post("/xmlrpc", content=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200
    with pytest.raises(xmlrpc.client.Fault) as caught:
        xmlrpc.client.loads(response.content)
    assert caught.value.faultCode == -32700


def test_entity_expansion_bomb_is_refused_at_its_first_declaration():
    with pytest.raises(pingback.Fault) as caught:
        pingback.parse_call(BOMB)
    assert caught.value.code == pingback.PARSE_ERROR
    assert isinstance(caught.value.__cause__, DTDForbidden)  # before any entity expands


def test_entity_expansion_bomb_is_answered_with_a_short_parse_fault(endpoint):
    response = endpoint.client.post("/xmlrpc", content=BOMB, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200
    with pytest.raises(xmlrpc.client.Fault) as caught:
        xmlrpc.client.loads(response.content)
    assert caught.value.faultCode == -32700
    assert len(response.content) < 1000


def test_oversized_body_is_refused_before_parsing(endpoint):
    body = b"<methodCall>" + b" " * 70_000 + b"</methodCall>"
    response = httpx.post(
        endpoint.url("/xmlrpc"), content=body, headers={"Content-Type": "text/xml"}
    )
    assert response.status_code == 413


# --- the protocol module, both directions (alusta/pingback.py) ---------------------------


def test_a_call_the_sender_writes_is_the_call_the_receiver_reads():
    body = pingback.call("https://blog.example/reply", POST)
    assert pingback.parse_call(body) == ("https://blog.example/reply", POST)
    assert xmlrpc.client.loads(body) == (("https://blog.example/reply", POST), "pingback.ping")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (xmlrpc.client.dumps(("a", "b"), methodname="system.listMethods").encode(), -32601),
        (xmlrpc.client.dumps(("only one",), methodname="pingback.ping").encode(), -32602),
        (xmlrpc.client.dumps(("a", 2), methodname="pingback.ping").encode(), -32602),
    ],
)
def test_other_calls_are_faults_with_the_interoperability_codes(body, code):
    with pytest.raises(pingback.Fault) as caught:
        pingback.parse_call(body)
    assert caught.value.code == code


def test_answers_the_receiver_writes_are_the_answers_the_sender_reads():
    assert pingback.read_answer(pingback.success("Thanks!").encode()) == "Thanks!"
    with pytest.raises(pingback.Fault) as caught:
        pingback.read_answer(pingback.fault(pingback.ALREADY_REGISTERED, "again").encode())
    assert (caught.value.code, str(caught.value)) == (0x30, "again")
    with pytest.raises(pingback.UnreadableAnswer, match="unreadable XML-RPC answer"):
        pingback.read_answer(b"<html>not xml-rpc</html>")
