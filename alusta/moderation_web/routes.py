"""The HTTP handlers of `/moderation/`: parse, check the session, call one function, answer.

GET shows the login form or the list; POSTs log in, log out and act. Routes raise and the
app's exception handlers answer (alusta.web.refusals) with this page's own `answer`: a
POST without a valid session, with a wrong CSRF token or from another origin is refused
(403, nothing changed), a wrong token is 401 and too many attempts 429, each as a page in
the moderator's language. After an action the browser goes back to the list (303), whose
address says what was done.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from alusta.errors import AlustaError
from alusta.moderation_web.access import SESSION_COOKIE, SESSION_SECONDS, Session
from alusta.moderation_web.actions import perform
from alusta.moderation_web.listing import STATUSES, Filters, listing
from alusta.moderation_web.state import ModerationState, moderation_state
from alusta.web import guard
from alusta.web.bodies import FormFields, read_fields
from alusta.web.guard import RateLimited, Scope
from alusta.web.refusals import Describe, Refusal, Route

PAGE_PATH = "/moderation/"
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 600
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes Chromium send Origin: null
    "X-Content-Type-Options": "nosniff",
}


class Refused(AlustaError):
    """No valid session, a wrong CSRF token, another origin, or browser moderation off."""


class WrongToken(AlustaError):
    """The token given at login is not a moderation token."""


def _html(
    state: ModerationState, template: str, lang: str, status: int = 200, **context: object
) -> Response:
    body = state.renderer.page(template, lang=lang, **context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def answer(request: Request, error: Exception, refusal: Refusal) -> Response:
    """How this page says no: the login form again, or a short page; never a traceback."""
    state = moderation_state(request)
    lang = state.lang(None)
    if isinstance(error, WrongToken):
        return _html(state, "login.html", lang, status=refusal.status, wrong=True)
    if isinstance(error, RateLimited):
        return _html(state, "login.html", lang, status=429, limited=error.retry_after)
    return _html(state, "refused.html", lang, status=refusal.status)


REFUSALS: dict[type[Exception], Describe] = {
    Refused: lambda error: Refusal(403, "refused", str(error)),
    WrongToken: lambda error: Refusal(401, "wrong_token", str(error)),
}


async def _form(request: Request) -> FormFields:
    return await read_fields(request, max_bytes=MAX_FORM_BYTES, max_fields=MAX_FORM_FIELDS)


def _same_origin(request: Request, state: ModerationState) -> bool:
    """Origin (or Referer) names this endpoint, or is absent (the CSRF token decides)."""
    claimed = request.headers.get("origin") or request.headers.get("referer") or ""
    if not claimed:
        return True
    parts = urlsplit(claimed)
    origin = f"{parts.scheme}://{parts.netloc}"
    own = f"{request.url.scheme}://{request.url.netloc}"
    configured = urlsplit(state.settings.endpoint_url)
    return origin in (own, f"{configured.scheme}://{configured.netloc}")


def _session(request: Request, state: ModerationState) -> Session | None:
    return state.access.session(request.cookies.get(SESSION_COOKIE))


async def page(request: Request) -> Response:
    state = moderation_state(request)
    if not state.access.enabled:
        return _html(state, "off.html", state.lang(None))
    session = _session(request, state)
    if session is None:
        return _html(state, "login.html", state.lang(None))
    moderator = session.moderator
    sites = [s.name for s in state.settings.sites if moderator.may_see(s.name)]
    query = request.query_params
    filters = Filters(
        site=query.get("site", "") if query.get("site", "") in sites else "",
        status=query.get("status", "") if query.get("status", "") in STATUSES else "",
    )
    found = await state.database.read(
        listing,
        sites=sites,
        filters=filters,
        title_of=state.title_of,
        with_rules=moderator.is_admin,
    )
    return _html(
        state,
        "page.html",
        state.lang(moderator),
        listing=found,
        sites=sites,
        filters=filters,
        statuses=STATUSES,
        moderator=moderator,
        csrf=state.access.csrf_token(session),
        done=query.get("done", ""),
        count=int(query.get("count", "0")) if query.get("count", "").isdigit() else 0,
        problem=query.get("problem", "")[:40],
    )


async def login(request: Request) -> Response:
    state = moderation_state(request)
    if not state.access.enabled or not _same_origin(request, state):
        raise Refused("browser moderation is off or the form came from elsewhere")
    guard.check(request, Scope.LOGIN)
    token = ((await _form(request)).get("token") or [""])[0]
    moderator = state.access.log_in(token)
    if moderator is None:
        raise WrongToken("that is not a moderation token")
    response = RedirectResponse(PAGE_PATH, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        state.access.new_cookie(moderator),
        max_age=SESSION_SECONDS,
        path=PAGE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


async def _checked(request: Request, state: ModerationState) -> tuple[Session, FormFields]:
    """The session and the form of a POST that passes every check; Refused otherwise."""
    session = _session(request, state)
    if session is None or not _same_origin(request, state):
        raise Refused("no valid session, or the form came from another origin")
    form = await _form(request)
    if not state.access.csrf_ok(session, (form.get("csrf") or [""])[0]):
        raise Refused("the form's CSRF token does not belong to this session")
    return session, form


async def logout(request: Request) -> Response:
    await _checked(request, moderation_state(request))
    response = RedirectResponse(PAGE_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PAGE_PATH)
    return response


async def act(request: Request) -> Response:
    state = moderation_state(request)
    session, form = await _checked(request, state)
    back = {k: form[k][0] for k in ("site", "status") if form.get(k)}
    try:
        outcome = await state.database.write(perform, session.moderator, form, now=state.clock())
    except AlustaError as error:  # NotAllowed, NotFound, InvalidDomain: the page says which
        problem = type(error).__name__
        return RedirectResponse(f"{PAGE_PATH}?{urlencode({**back, 'problem': problem})}", 303)
    await state.refresh(outcome.changed)
    query = urlencode({**back, "done": outcome.action, "count": outcome.count})
    return RedirectResponse(f"{PAGE_PATH}?{query}", status_code=303)


async def stylesheet(request: Request) -> Response:
    state = moderation_state(request)
    path = state.renderer.stylesheet(request.path_params["name"])
    if path is None or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


ROUTES = [
    Route(PAGE_PATH, page, answer=answer, methods=["GET"]),
    Route(f"{PAGE_PATH}login", login, answer=answer, methods=["POST"]),
    Route(f"{PAGE_PATH}logout", logout, answer=answer, methods=["POST"]),
    Route(f"{PAGE_PATH}act", act, answer=answer, methods=["POST"]),
    Route(PAGE_PATH + "{name:str}", stylesheet, answer=answer, methods=["GET"]),
]
