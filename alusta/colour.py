"""Accent colours that stay readable: WCAG 2.1 contrast (success criterion 1.4.3).

A pilot picks its accent colour in pilot.toml; the theme uses it for the header
background and for links, so the text colour on it and the link colour on the light and
the dark page are derived here rather than trusted.
"""

from __future__ import annotations

from functools import cache

WHITE = "#ffffff"
NEAR_BLACK = "#1a1a1a"
AA_TEXT_RATIO = 4.5
DARKEN_STEP = 0.9
MAX_DARKEN_STEPS = 40


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour like '#0b5cad' (WCAG 2.1 definition)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, NEAR_BLACK):
        return WHITE
    return NEAR_BLACK


@cache  # the theme asks for the same few colours on every page
def readable_on(colour: str, background: str = WHITE, ratio: float = AA_TEXT_RATIO) -> str:
    """`colour`, darkened (on a light background) or lightened (on a dark one) just enough
    to reach `ratio` on `background` (default 4.5:1, AA normal text)."""
    dark_background = relative_luminance(background) < relative_luminance("#777777")
    r, g, b = _channels(colour)
    for _ in range(MAX_DARKEN_STEPS):
        candidate = f"#{round(r):02x}{round(g):02x}{round(b):02x}"
        if contrast_ratio(candidate, background) >= ratio:
            return candidate
        if dark_background:  # move each channel a tenth of the way to white
            r, g, b = (c + (255 - c) * (1 - DARKEN_STEP) for c in (r, g, b))
        else:
            r, g, b = r * DARKEN_STEP, g * DARKEN_STEP, b * DARKEN_STEP
    return WHITE if dark_background else NEAR_BLACK
