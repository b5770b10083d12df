"""The shared web edge (alusta/web): database handle, guard, bodies, refusals, app state.

A tiny Starlette app built only from the edge runs under real uvicorn on 127.0.0.1; the
database handle writes a real SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from alusta.db import connect
from alusta.errors import AlustaError
from alusta.web.bodies import read_fields, read_form
from alusta.web.database import Database
from alusta.web.guard import Limits, RateLimited, Scope, is_loopback
from alusta.web.refusals import EDGE_REFUSALS, Refusal, Route, handlers
from alusta.web.state import app_state
from tests.endpoint_server import RunningEndpoint, endpoint_settings

# --- database handle ---------------------------------------------------------------------


def test_a_failing_unit_is_rolled_back_alone_and_the_others_are_committed(tmp_path: Path):
    path = tmp_path / "edge.sqlite3"

    def insert(connection: sqlite3.Connection, value: str) -> int:
        connection.execute("CREATE TABLE IF NOT EXISTS notes (value TEXT)")
        return connection.execute("INSERT INTO notes VALUES (?)", (value,)).lastrowid

    def insert_then_fail(connection: sqlite3.Connection) -> None:
        insert(connection, "undone")
        raise ValueError("this unit fails")

    async def burst() -> list[object]:
        database = Database(path)
        try:
            units = [database.write(insert, "a"), database.write(insert_then_fail)]
            units.append(database.write(insert, "b"))
            return await asyncio.gather(*units, return_exceptions=True)
        finally:
            database.close()

    first, failed, last = asyncio.run(burst())
    assert isinstance(failed, ValueError)
    assert isinstance(first, int) and isinstance(last, int)
    with contextlib.closing(connect(path, migrate=False)) as connection:
        values = [row[0] for row in connection.execute("SELECT value FROM notes ORDER BY rowid")]
    assert values == ["a", "b"]


# --- guard -------------------------------------------------------------------------------


def test_rate_limited_is_a_library_error(tmp_path):
    limits = Limits(endpoint_settings(tmp_path / "project", rate_limit_per_minute="1"))
    limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    with pytest.raises(RateLimited) as caught:
        limits.check_key("203.0.113.5", Scope.MENTIONS, now=0.0)
    assert isinstance(caught.value, AlustaError)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("10.0.0.1", False), ("", False)],
)
def test_development_frees_loopback_clients_only(address, loopback):
    assert is_loopback(address) is loopback


# --- bodies, refusals and state through a real server -----------------------------------


class Teapot(AlustaError):
    """A refusal only this test's table knows."""


@dataclass(frozen=True)
class Counter:
    name: str


async def echo_form(request: Request) -> Response:
    form = await read_form(request, max_bytes=100, max_fields=3)
    return JSONResponse({"first": form, "state": app_state(request, Counter).name})


async def echo_fields(request: Request) -> Response:
    return JSONResponse({"all": await read_fields(request, max_bytes=100, max_fields=3)})


async def raise_teapot(_request: Request) -> Response:
    raise Teapot("no coffee here")


async def raise_bug(_request: Request) -> Response:
    raise KeyError("internals")


def as_json(_request: Request, _error: Exception, refusal: Refusal) -> Response:
    body = {"code": refusal.code, "reason": refusal.reason}
    return JSONResponse(body, status_code=refusal.status, headers=refusal.headers)


@pytest.fixture(scope="module")
def edge() -> Iterator[RunningEndpoint]:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict]:
        yield {Counter: Counter("from the lifespan")}

    table = {**EDGE_REFUSALS, Teapot: lambda error: Refusal(418, "teapot", str(error))}
    app = Starlette(
        routes=[
            Route("/json/form", echo_form, answer=as_json, methods=["POST"]),
            Route("/json/fields", echo_fields, answer=as_json, methods=["POST"]),
            Route("/json/teapot", raise_teapot, answer=as_json),
            Route("/text/teapot", raise_teapot, answer=lambda r, e, f: Response(f.code, f.status)),
            Route("/json/bug", raise_bug, answer=as_json),
        ],
        lifespan=lifespan,
        exception_handlers=handlers(table),
    )
    with RunningEndpoint(app) as running:
        yield running


def test_forms_are_read_as_first_values_or_all_values(edge):
    response = edge.client.post("/json/form", content=b"a=1&a=2&b=%C3%A4")
    assert response.status_code == 415  # no form type: refused before reading
    assert response.json()["code"] == "bad_body"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    document = edge.client.post("/json/form", content=b"a=1&a=2&b=%C3%A4", headers=form).json()
    assert document == {"first": {"a": "1", "b": "ä"}, "state": "from the lifespan"}
    document = edge.client.post("/json/fields", content=b"a=1&a=2&b=%C3%A4", headers=form).json()
    assert document == {"all": {"a": ["1", "2"], "b": ["ä"]}}


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"x=" + b"1" * 200, 413), (b"a=1&b=2&c=3&d=4", 400), (b"a=\xff", 400)],
)
def test_oversized_crowded_or_undecodable_forms_are_refused(edge, body, status):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = edge.client.post("/json/form", content=body, headers=form)
    assert (response.status_code, response.json()["code"]) == (status, "bad_body")


def test_each_route_says_no_in_its_own_format(edge):
    as_data = edge.client.get("/json/teapot")
    assert as_data.status_code == 418
    assert as_data.json() == {"code": "teapot", "reason": "no coffee here"}
    as_text = edge.client.get("/text/teapot")
    assert (as_text.status_code, as_text.text) == (418, "teapot")


def test_an_exception_in_no_table_is_a_500_without_internals(edge):
    response = edge.client.get("/json/bug")
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "reason": "internal error"}
    assert "internals" not in response.text


def test_app_state_names_what_the_lifespan_did_not_build():
    class Missing:
        pass

    request = Request({"type": "http", "state": {Counter: Counter("x")}})
    assert app_state(request, Counter).name == "x"
    with pytest.raises(LookupError, match="Missing"):
        app_state(request, Missing)
