"""Horizontal bar charts as inline SVG, drawn at build time: no JavaScript, no images.

Each chart carries its own text alternative (<title> and <desc> listing every count), and
every bar is labelled with its number, so colour is never the only carrier of meaning
(WCAG 2.1, 1.1.1 and 1.4.1).
"""

from __future__ import annotations

from html import escape

from alusta.feedback.summary import QuestionSummary

WIDTH = 640
LABEL_WIDTH = 260
BAR_AREA = 300
ROW_HEIGHT = 32
BAR_HEIGHT = 20
FONT_SIZE = 14
MAX_LABEL_CHARS = 34


def bar_label(question: QuestionSummary, value: str, label: dict[str, str], lang: str) -> str:
    return label.get(lang, value) if label else value


def bar_chart(question: QuestionSummary, lang: str, *, chart_id: str, title: str) -> str:
    """The SVG of one question's bars, longest bar filling the bar area."""
    largest = max((bar.count for bar in question.bars), default=0) or 1
    height = ROW_HEIGHT * len(question.bars) + 8
    labels = [bar_label(question, b.value, b.label, lang) for b in question.bars]
    described = ", ".join(
        f"{label}: {bar.count}" for label, bar in zip(labels, question.bars, strict=True)
    )
    parts = [
        f'<svg class="feedback-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(described)}</desc>',
    ]
    for row, (label, bar) in enumerate(zip(labels, question.bars, strict=True)):
        y = row * ROW_HEIGHT + 4
        width = round(BAR_AREA * bar.count / largest, 1)
        short = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
        text_y = y + BAR_HEIGHT - 5
        parts += [
            f'<g class="bar" data-value="{escape(bar.value)}" data-count="{bar.count}">',
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="currentColor">{escape(short)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            'class="feedback-bar"/>',
            f'<text class="count" x="{LABEL_WIDTH + width + 6}" y="{text_y}" '
            f'font-size="{FONT_SIZE}" fill="currentColor">{bar.count}</text>',
            "</g>",
        ]
    parts.append("</svg>")
    return "".join(parts)
