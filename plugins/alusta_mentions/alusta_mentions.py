"""Signal handler: attach each article's and page's rendered responses.

Settings: the ALUSTA dict filled by alusta.pelican_conf (site, database, mentions_url:
endpoint base or "", allow_private, var_dir, endpoint_url). Mentions are matched to pages
by normalised URL (those to the site's public address also where serve builds it),
rendered with alusta.responses.render (the function `publish.py refresh` uses too) and
handed to the theme as `alusta_responses_html`. Refresh finds the pages in the build record.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from alusta.content import page_wants_responses
from alusta.responses.avatars import AvatarCache
from alusta.responses.model import Response, by_target, group_responses, rebased
from alusta.responses.pages import ui_lang
from alusta.responses.refresh import AVATAR_CACHE_FOLDER
from alusta.responses.render import FragmentContext, FragmentRenderer, as_markup
from alusta.responses.sources import MentionSource, MentionsUnavailable
from alusta.urls import normalize_url

log = logging.getLogger(__name__)
PLUGIN_NAME = "alusta_mentions"
SETTINGS_KEY = "ALUSTA"
DEFAULT_UI_LANG = "fi"  # the probe's language
INPUTS_ATTRIBUTE = "_alusta_responses_inputs"  # what the attached fragment was rendered from
KEY_ATTRIBUTE = "_alusta_responses_key"  # (url, its normalised form)


def _contents(generators: list[Any]) -> list[Any]:
    """Every published article, and every page that asks for responses (translations and
    hidden pages too, not drafts)."""
    found: list[Any] = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            found += [*generator.articles, *generator.translations]
        elif isinstance(generator, PagesGenerator):
            pages = [
                *generator.pages,
                *generator.translations,
                *generator.hidden_pages,
                *generator.hidden_translations,
            ]
            found += [page for page in pages if page_wants_responses(page.metadata)]
    return found


def _load(conf: dict[str, Any]) -> list[Response]:
    source = MentionSource(
        Path(conf["database"]), conf.get("mentions_url", ""), bool(conf.get("allow_private"))
    )
    return source.responses(site=conf["site"]["name"])


def attach_responses(generators: list[Any]) -> None:
    """Render every page's responses fragment."""
    settings = generators[0].settings
    conf = settings.get(SETTINGS_KEY)
    if not conf:
        log.warning("%s: no %s setting, pages show no responses", PLUGIN_NAME, SETTINGS_KEY)
        return
    try:
        responses = _load(conf)
    except MentionsUnavailable as error:
        log.error("%s: %s", PLUGIN_NAME, error)  # a build must not silently drop responses
        return
    renderer = FragmentRenderer(Path(settings["THEME"]))
    if not _renders_alone(renderer, settings):
        return
    keyed = rebased(
        by_target(responses), conf["site"].get("public_siteurl", ""), settings["SITEURL"]
    )
    _render_all(settings, conf, renderer, keyed, _contents(generators))


def _renders_alone(renderer: FragmentRenderer, settings: dict[str, Any]) -> bool:
    """True when the theme's partial is the standalone responses template (a theme may
    replace it with one that reads the page context; pages then render it themselves)."""
    probe = FragmentContext(
        url=settings["SITEURL"] + "/",
        lang=DEFAULT_UI_LANG,
        siteurl=settings["SITEURL"],
        endpoint_url="",
    )
    try:
        renderer.render(group_responses(probe.url, []), probe)
    except TemplateError as error:
        log.info("%s: partials/responses.html not rendered alone (%s)", PLUGIN_NAME, error)
        return False
    return True


def _render_all(
    settings: dict[str, Any],
    conf: dict[str, Any],
    renderer: FragmentRenderer,
    keyed: dict[str, list[Response]],
    contents: list[Any],
) -> None:
    siteurl, endpoint = settings["SITEURL"], conf.get("endpoint_url", "")
    site_lang = conf["site"].get("lang") or settings["DEFAULT_LANG"]
    output = Path(settings["OUTPUT_PATH"])
    avatars = _publish_avatars(conf, keyed, output)
    shown = set()
    for content in contents:
        url = f"{siteurl}/{content.url}"
        key = _normalized(content, url)
        lang = ui_lang(getattr(content, "lang", None) or site_lang, site_lang, renderer.catalogs)
        context = FragmentContext(
            url=url, lang=lang, siteurl=siteurl, endpoint_url=endpoint, avatars=avatars
        )
        _attach(content, renderer, keyed.get(key, []), context)
        shown.add(key)
    unmatched = sum(len(v) for k, v in keyed.items() if k not in shown)
    if unmatched:
        log.info("%s: %d response(s) point at no page of this build", PLUGIN_NAME, unmatched)


def _normalized(content: Any, url: str) -> str:
    """normalize_url(url), kept on the content object (the preview keeps objects)."""
    known = getattr(content, KEY_ATTRIBUTE, None)
    if known is None or known[0] != url:
        known = (url, normalize_url(url))
        setattr(content, KEY_ATTRIBUTE, known)
    return known[1]


def _attach(
    content: Any, renderer: FragmentRenderer, responses: list[Response], context: FragmentContext
) -> None:
    """Render one page's fragment, unless the same object already holds it for the same inputs.

    The preview keeps content objects between runs (alusta.preview.engine): at 5,000 posts,
    rendering every fragment again on each save would take a second.
    """
    photos = tuple(context.avatars.get(r.author_photo, "") for r in responses)
    inputs = (context.url, context.lang, context.siteurl, context.endpoint_url, photos)
    inputs += (renderer.fingerprint, tuple(responses))
    if getattr(content, INPUTS_ATTRIBUTE, None) == inputs:
        return
    fragment = renderer.render(group_responses(context.url, responses), context)
    content.alusta_responses_html = as_markup(fragment)
    setattr(content, INPUTS_ATTRIBUTE, inputs)


def _publish_avatars(
    conf: dict[str, Any], keyed: dict[str, list[Response]], output: Path
) -> dict[str, str]:
    """Fetch missing author photos and copy them into this site's output."""
    cache = AvatarCache(
        Path(conf["var_dir"]) / AVATAR_CACHE_FOLDER, allow_private=bool(conf.get("allow_private"))
    )
    photos = {r.author_photo for rs in keyed.values() for r in rs if r.author_photo}
    cache.fetch_missing(photos)
    published = {photo: cache.publish(photo, output) for photo in photos}
    return {photo: path for photo, path in published.items() if path}


def register() -> None:
    signals.all_generators_finalized.connect(attach_responses)
