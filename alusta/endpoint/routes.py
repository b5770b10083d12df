"""The mentions routes and their refusal table, for the app factory to compose."""

from __future__ import annotations

from alusta.endpoint import errors, mentions_api, pingback, webmention
from alusta.web.refusals import Describe

ROUTES = [*webmention.ROUTES, *pingback.ROUTES, *mentions_api.ROUTES]
REFUSALS: dict[type[Exception], Describe] = {**errors.REFUSALS, **mentions_api.REFUSALS}
