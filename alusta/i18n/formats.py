"""Dates and language names as a reader of each language expects them (and ISO 8601)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_timezone

# Finnish public sector sites write English dates the British way: 26 November 2026.
BABEL_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
FALLBACK_LOCALE = "fi_FI"


def babel_locale(lang: str) -> str:
    """The Babel locale used for a site or post language."""
    return BABEL_LOCALES.get(lang, FALLBACK_LOCALE)


def local_date(value: dt.date, lang: str, *, form: str = "long") -> str:
    """A date in words: '26. marraskuuta 2026', '26 november 2026', '26 November 2026'.

    Babel formats the calendar day of a datetime (no time zone conversion), so the day
    alone is the cache key: a site's pages repeat each post's date many times over."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _date_in_words(dt.date(day.year, day.month, day.day), lang, form)


@cache
def _date_in_words(day: dt.date, lang: str, form: str) -> str:
    return format_date(day, format=form, locale=babel_locale(lang))


def local_date_and_time(moment: dt.datetime, lang: str, timezone: str) -> tuple[str, str]:
    """A moment as the site's readers tell time: ('1. joulukuuta 2026', '2.30') in `timezone`
    (the site's TIMEZONE, e.g. Europe/Helsinki), not UTC."""
    local = moment.astimezone(get_timezone(timezone))
    locale = babel_locale(lang)
    return format_date(local, format="long", locale=locale), format_time(
        local, format="short", locale=locale
    )


def iso_datetime(value: dt.date) -> str:
    """ISO 8601 for datetime attributes (dt-published); keeps the time zone offset."""
    return value.isoformat()


def local_period(period_num: tuple[int, ...], lang: str) -> str:
    """The heading of a year, month or day archive: '2026', 'marraskuu 2026', a full date."""
    locale = babel_locale(lang)
    if len(period_num) == 1:
        return str(period_num[0])
    if len(period_num) == 2:  # (year, month)
        return format_date(dt.date(period_num[0], period_num[1], 1), "LLLL y", locale=locale)
    return format_date(dt.date(*period_num[:3]), "long", locale=locale)


def language_name(lang: str) -> str:
    """A language's name in itself ('suomi', 'svenska', 'English') for language links."""
    try:
        name = Locale.parse(lang).get_display_name(lang)
    except (ValueError, UnknownLocaleError):
        return lang
    return name or lang
