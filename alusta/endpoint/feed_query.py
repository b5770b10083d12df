"""The query of GET /mentions in webmention.io's parameter names, read into a FeedQuery.

webmention.io's API (its README, "API"): `target` or `target[]` (one or more pages; a
scheme-less `//host/path` means either scheme), `domain` (every page of a host), `since`
(received after, ISO 8601, `-0700` allowed), `since_id`, `wm-property` / `wm-property[]`,
`sort-by` (created, updated, published), `sort-dir` (down: newest first, the default; up),
`per-page` (older name `perPage`; ours also `limit`) and `page` (from 0). Ours add `site`.
Unknown parameters are ignored as webmention.io ignores them (cache-busters, `jsonp`), but
every value we read must make sense: anything else is BadQuery, one sentence naming it.
"""

from __future__ import annotations

from typing import TypeVar

from starlette.datastructures import QueryParams

from alusta.endpoint.targets import RequestRejected, url_key
from alusta.errors import AlustaError
from alusta.mention_feed import FeedQuery, SortBy
from alusta.models import MF2_PROPERTIES, MentionKind
from alusta.times import utc_iso
from alusta.urls import NotHttpURL, normalize_url

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_TARGETS = 50
MAX_ID = 2**63 - 1
PER_PAGE_NAMES = ("per-page", "perPage", "limit")
SORT_KEYS = {str(key): key for key in SortBy}
SORT_DIRECTIONS = {"down": True, "up": False}  # descending?
HOST_DELIMITERS = frozenset("/:@?#[]\\") | frozenset(chr(code) for code in range(33))
T = TypeVar("T")


class BadQuery(AlustaError):
    """A query parameter has an unusable value."""


def parse_feed_query(params: QueryParams, *, public: bool) -> FeedQuery:
    """The FeedQuery these parameters ask for, or BadQuery naming the first bad one."""
    return FeedQuery(
        target_keys=_targets(params.getlist("target") + params.getlist("target[]")),
        domain=_domain(params.get("domain")),
        site=params.get("site"),
        since=_since(params.get("since")),
        since_id=_whole(params, "since_id", 0, MAX_ID),
        kinds=_kinds(params.getlist("wm-property") + params.getlist("wm-property[]")),
        sort_by=_choice(params, "sort-by", SORT_KEYS, SortBy.CREATED),
        descending=_choice(params, "sort-dir", SORT_DIRECTIONS, "down"),
        per_page=_per_page(params),
        page=_whole(params, "page", 0, MAX_PAGE) or 0,
        public=public,
    )


def _targets(values: list[str]) -> tuple[str, ...]:
    if len(values) > MAX_TARGETS:
        raise BadQuery(f"target names at most {MAX_TARGETS} pages")
    keys = []
    for value in values:
        url = f"https:{value}" if value.startswith("//") else value  # either scheme
        try:
            keys.append(url_key(url, "target")[1])
        except RequestRejected as error:
            raise BadQuery(str(error)) from error
    return tuple(keys)


def _domain(value: str | None) -> str:
    """A host name as our URL keys spell it (lower case, IDNA A-labels)."""
    if value is None:
        return ""
    if not value or any(char in value for char in HOST_DELIMITERS):
        raise BadQuery("domain is not a host name")
    try:
        return normalize_url(f"https://{value}/").removeprefix("https://").removesuffix("/")
    except NotHttpURL as error:
        raise BadQuery("domain is not a host name") from error


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    stored = utc_iso(value)
    if stored is None:
        raise BadQuery("since is not an ISO 8601 date and time")
    return stored


def _whole(params: QueryParams, name: str, low: int, high: int) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise BadQuery(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _per_page(params: QueryParams) -> int:
    for name in PER_PAGE_NAMES:
        if name in params:
            return _whole(params, name, 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE
    return DEFAULT_PER_PAGE


def _choice(params: QueryParams, name: str, choices: dict[str, T], default: str) -> T:
    value = params.get(name, default)
    if value not in choices:
        raise BadQuery(f"{name} must be one of {', '.join(choices)}")
    return choices[value]


def _kinds(values: list[str]) -> tuple[MentionKind, ...]:
    kinds = []
    for value in values:
        matching = [kind for kind, name in MF2_PROPERTIES.items() if name == value]
        if not matching:
            known = ", ".join(dict.fromkeys(MF2_PROPERTIES.values()))
            raise BadQuery(f"wm-property must be one of {known}")
        kinds += matching
    return tuple(kinds)
