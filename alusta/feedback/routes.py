"""POST /feedback/<site>/<form> and GET /feedback/token: thin handlers over `Intake`.

A browser (Accept: text/html) gets 303 See Other to the thank-you page (so reloading does
not send twice), or the form again with each error next to its field and the values kept
(422). Every other client gets JSON with the same status codes (201 when stored).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from alusta.endpoint import pages
from alusta.endpoint.bodies import FORM_TYPE, BodyError, read_body
from alusta.endpoint.guard import RateLimited
from alusta.feedback.intake import Intake, form_lang
from alusta.feedback.models import FormDefinition, FormDefinitionError, UnknownForm
from alusta.feedback.render import render_error_page
from alusta.feedback.spam import MAX_FORM_BYTES, MAX_FORM_FIELDS, Refused
from alusta.feedback.texts import ui
from alusta.feedback.validate import InvalidSubmission

FormData = dict[str, list[str]]


async def read_fields(request: Request) -> FormData:
    """The url-encoded body as {name: [values]} (checkboxes repeat), capped in size."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_TYPE:
        raise BodyError(f"expected a body of type {FORM_TYPE}", 415)
    body = await read_body(request, max_bytes=MAX_FORM_BYTES)
    try:
        return parse_qs(body.decode("utf-8"), max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError) as error:
        raise BodyError("the form is not valid UTF-8 url-encoded data", 400) from error


def wants_json(request: Request) -> bool:
    """Everything but a browser gets JSON: browsers list text/html in Accept (the
    endpoint's convention, alusta.endpoint.pages.wants_html)."""
    return not pages.wants_html(request)


async def submit(request: Request) -> Response:  # noqa: PLR0911 - one per refusal
    intake: Intake = request.app.state.feedback
    site, name = request.path_params["site"], request.path_params["form"]
    try:
        form = intake.form(site, name)
        data = await read_fields(request)
        client = request.client.host if request.client else ""
        accepted = await intake.submit(
            form, data, address=client, page=request.headers.get("referer", "")
        )
    except InvalidSubmission as error:
        return _invalid(request, intake, form, data, error)
    except UnknownForm as error:
        return _refusal(request, "not_found", str(error), 404, text_key="form_missing")
    except FormDefinitionError:
        return _refusal(
            request,
            "unavailable",
            "the form cannot be used right now",
            503,
            text_key="try_again",
        )
    except BodyError as error:
        key = "too_large" if error.status == 413 else "try_again"
        return _refusal(request, "bad_body", str(error), error.status, text_key=key)
    except RateLimited as error:
        return _refusal(
            request,
            "rate_limited",
            str(error),
            429,
            text_key="try_again",
            headers={"Retry-After": str(error.retry_after)},
        )
    except Refused as error:
        return _refusal(request, error.code, str(error), 400, text_key="try_again")
    if wants_json(request):
        return JSONResponse(
            {"id": accepted.id, "thanks": accepted.thanks_url},
            status_code=201,
            headers={"Location": accepted.thanks_url},
        )
    return RedirectResponse(accepted.thanks_url, status_code=303)


def _invalid(
    request: Request, intake: Intake, form: FormDefinition, data: FormData, error: InvalidSubmission
) -> Response:
    lang = form_lang(data, intake.settings.site(form.site).lang)
    if wants_json(request):
        errors = [
            {"field": e.field, "code": e.code, "message": e.message(lang)} for e in error.errors
        ]
        return JSONResponse({"errors": errors}, status_code=422)
    html = render_error_page(
        form,
        lang=lang,
        endpoint_url=intake.settings.endpoint_url,
        site_url=intake.settings.site(form.site).siteurl,
        values=data,
        errors={e.field: e.message(lang) for e in error.errors},
        back=request.headers.get("referer", ""),
    )
    return Response(html, status_code=422, media_type="text/html; charset=utf-8")


def _refusal(
    request: Request,
    code: str,
    reason: str,
    status: int,
    *,
    text_key: str,
    headers: dict[str, str] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse({"error": code, "reason": reason}, status_code=status, headers=headers)
    lang = pages.language(request)
    lines = (
        [ui(lang)[text_key]]
        if text_key != "try_again" or status == 429
        else [ui(lang)[f"refused_{code}"], ui(lang)["try_again"]]
    )
    title = "limited_title" if status == 429 else "rejected_title"
    return pages.page(
        request,
        title_key=title,
        lines=lines,
        status=status,
        headers=headers,
        back=request.headers.get("referer", ""),
    )


async def token(request: Request) -> Response:
    """A fresh signed timestamp for feedback.js; readable from any of our sites' origins."""
    intake: Intake = request.app.state.feedback
    return JSONResponse(
        {"token": intake.clock.token()},
        headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"},
    )


ROUTES = [
    Route("/feedback/token", token, methods=["GET"], name="feedback_token"),
    Route("/feedback/{site}/{form}", submit, methods=["POST"], name="feedback_submit"),
]
