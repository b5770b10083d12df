"""WordPress's automatic paragraphs (`wpautop`), ported from wp-includes/formatting.php.

Classic-editor posts are stored without <p> tags: WordPress adds them when it shows the
post (blank lines become paragraphs, single newlines <br />). Block-editor posts carry
their own markup and WordPress skips wpautop for them, so we do the same. The port keeps
WordPress's order of steps so the paragraphs come out where its readers saw them.
"""

from __future__ import annotations

import re

ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
NEWLINE_IN_TAG = " <!-- wpnl --> "


def _protect_pre(text: str) -> tuple[str, dict[str, str]]:
    saved: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        key = f"<pre wp-pre-tag-{len(saved)}></pre>"
        saved[key] = match.group(0)
        return key

    return PRE.sub(keep, text), saved


def _blocks_apart(text: str) -> str:
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<{ALL_BLOCKS}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{ALL_BLOCKS}>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = TAG.sub(lambda m: m.group(0).replace("\n", NEWLINE_IN_TAG), text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    return re.sub(r"\n\n+", "\n\n", text)


def _paragraphs(text: str) -> str:
    parts = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in parts)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)", r"\1", text)
    return re.sub(rf"(</?{ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)


def _line_breaks(text: str) -> str:
    text = re.sub(
        r"<(script|style|svg|math).*?</\1>",
        lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"),
        text,
        flags=re.S,
    )
    text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace("<WPPreserveNewline />", "\n")
    text = re.sub(rf"(</?{ALL_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    return re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)


def wpautop(text: str) -> str:
    """Paragraphs and line breaks the way WordPress adds them to classic-editor text."""
    if not text.strip():
        return ""
    text, saved = _protect_pre(text + "\n")
    text = _paragraphs(_blocks_apart(text))
    text = _line_breaks(text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for key, value in saved.items():
        text = text.replace(key, value)
    return text.replace(NEWLINE_IN_TAG, "\n").replace("<!-- wpnl -->", "\n")
