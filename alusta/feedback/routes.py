"""POST /feedback/<site>/<form> and GET /feedback/token: thin handlers over `Intake`.

A browser (Accept: text/html) gets 303 See Other to the thank-you page (so reloading does
not send twice), or the form again with each error next to its field and the values kept
(422). Every other client gets JSON with the same status codes (201 when stored).
Refusals (unknown form, body, rate limit, spam checks) are raised and answered by `refuse`
through the app's exception handlers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from alusta.feedback.intake import Intake, form_lang
from alusta.feedback.models import FormDefinition, FormDefinitionError, UnknownForm
from alusta.feedback.render import render_error_page
from alusta.feedback.spam import Refused
from alusta.feedback.texts import ui
from alusta.feedback.validate import InvalidSubmission
from alusta.page_frames import load_frame
from alusta.web import guard, pages
from alusta.web.bodies import FormFields, read_fields
from alusta.web.guard import Scope
from alusta.web.refusals import Describe, Refusal, Route
from alusta.web.state import app_state

MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 200


def wants_json(request: Request) -> bool:
    """Everything but a browser gets JSON: browsers list text/html in Accept (the
    web edge's convention, alusta.web.pages.wants_html)."""
    return not pages.wants_html(request)


async def submit(request: Request) -> Response:
    intake = app_state(request, Intake)
    form = intake.form(request.path_params["site"], request.path_params["form"])
    data = await read_fields(request, max_bytes=MAX_FORM_BYTES, max_fields=MAX_FORM_FIELDS)
    guard.check(request, Scope.FEEDBACK)
    try:
        accepted = await intake.submit(
            form, data, address=guard.client(request), page=request.headers.get("referer", "")
        )
    except InvalidSubmission as error:  # not a refusal: the form again, with its errors
        return _invalid(request, intake, form, data, error)
    if wants_json(request):
        return JSONResponse(
            {"id": accepted.id, "thanks": accepted.thanks_url},
            status_code=201,
            headers={"Location": accepted.thanks_url},
        )
    return RedirectResponse(accepted.thanks_url, status_code=303)


def _invalid(
    request: Request,
    intake: Intake,
    form: FormDefinition,
    data: FormFields,
    error: InvalidSubmission,
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
        back=pages.our_page(intake.settings, request.headers.get("referer", "")),
        frame=load_frame(intake.settings.var_dir, form.site, lang),
    )
    return Response(html, status_code=422, media_type="text/html; charset=utf-8")


def refuse(request: Request, _error: Exception, refusal: Refusal) -> Response:
    """JSON {error, reason} for scripts; for people a page saying what to do next."""
    if wants_json(request):
        return JSONResponse(
            {"error": refusal.code, "reason": refusal.reason},
            status_code=refusal.status,
            headers=refusal.headers,
        )
    settings = app_state(request, Intake).settings
    pages.about_site(request, settings, request.path_params.get("site", ""))
    text = ui(pages.language(request))
    if refusal.code == "not_found":
        lines = [text["form_missing"]]
    elif refusal.status == 413:
        lines = [text["too_large"]]
    elif refusal.status == 429 or f"refused_{refusal.code}" not in text:
        lines = [text["try_again"]]
    else:
        lines = [text[f"refused_{refusal.code}"], text["try_again"]]
    return pages.page(
        request,
        title_key="limited_title" if refusal.status == 429 else "rejected_title",
        lines=lines,
        status=refusal.status,
        headers=refusal.headers,
        back=request.headers.get("referer", ""),
        settings=settings,
    )


async def token(request: Request) -> Response:
    """A fresh signed timestamp for feedback.js; readable from any of our sites' origins."""
    return JSONResponse(
        {"token": app_state(request, Intake).clock.token()},
        headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"},
    )


def unknown_form(error: UnknownForm) -> Refusal:
    return Refusal(404, "not_found", str(error))


def unusable_form(_error: FormDefinitionError) -> Refusal:
    return Refusal(503, "unavailable", "the form cannot be used right now")


def refused(error: Refused) -> Refusal:
    return Refusal(400, error.code, str(error))


REFUSALS: dict[type[Exception], Describe] = {
    UnknownForm: unknown_form,
    FormDefinitionError: unusable_form,
    Refused: refused,
}
ROUTES = [
    Route("/feedback/token", token, answer=refuse, methods=["GET"], name="feedback_token"),
    Route(
        "/feedback/{site}/{form}", submit, answer=refuse, methods=["POST"], name="feedback_submit"
    ),
]
