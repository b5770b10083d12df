"""Rendering a form as HTML: one renderer for the build (empty form) and the endpoint (the
same form again with the visitor's values and an error next to each wrong field)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from alusta.feedback.models import FormDefinition
from alusta.feedback.texts import ui
from alusta.feedback.validate import client_messages, html_constraints
from alusta.page_frames import fill

TEMPLATES = Path(__file__).parent / "templates"
SCRIPT_PATH = "theme/js/feedback.js"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def action_url(endpoint_url: str, form: FormDefinition) -> str:
    return f"{endpoint_url}/feedback/{form.site}/{form.name}"


def token_url(endpoint_url: str) -> str:
    return f"{endpoint_url}/feedback/token"


def render_form(
    form: FormDefinition,
    *,
    lang: str,
    endpoint_url: str,
    site_url: str,
    values: dict[str, list[str]] | None = None,
    errors: dict[str, str] | None = None,
    script: bool = True,
) -> str:
    """The form's <section>: labels, inputs, errors (if any) and the optional script."""
    attributes = {
        f.name: Markup(  # noqa: S704 - every value passes html.escape
            "".join(
                f' {key}="{escape(value)}"' if value else f" {key}"
                for key, value in html_constraints(f).items()
            )
        )
        for f in form.fields
    }
    return _environment.get_template("form.html").render(
        form=form,
        lang=lang,
        ui=ui(lang),
        values=values or {},
        errors=errors or {},
        action=action_url(endpoint_url, form),
        token_url=token_url(endpoint_url),
        attributes=attributes,
        messages={f.name: client_messages(f, lang) for f in form.fields},
        script_url=f"{site_url}/{SCRIPT_PATH}" if script else "",
        results_url=f"{site_url}/feedback/{form.name}/results/" if form.results else "",
    )


def render_error_page(
    form: FormDefinition,
    *,
    lang: str,
    endpoint_url: str,
    site_url: str,
    values: dict[str, list[str]],
    errors: dict[str, str],
    back: str = "",
    frame: str | None = None,
) -> str:
    """A whole page: the form again, values kept, each error next to its field; inside the
    site's frame (alusta/page_frames) when the build left one, else a plain page."""
    form_html = Markup(  # noqa: S704 - rendered by the autoescaping template
        render_form(
            form,
            lang=lang,
            endpoint_url=endpoint_url,
            site_url=site_url,
            values=values,
            errors=errors,
            script=False,
        )
    )
    texts, back = ui(lang), back if back.startswith(("http://", "https://")) else ""
    if frame is not None:
        body = _environment.get_template("error_body.html").render(
            ui=texts, form_html=form_html, back=back
        )
        return fill(frame, title=escape(texts["errors_title"]), body=body)
    return _environment.get_template("error_page.html").render(
        form=form, lang=lang, ui=texts, form_html=form_html, site_url=site_url, back=back
    )
