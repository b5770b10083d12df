"""Horizontal bar charts as plain HTML, drawn at build time: no JavaScript, no images.

A chart is a list: each item is the answer's label (text that wraps on a phone and keeps
the page's font size), a bar whose length is the share of the largest count, and the
count as a number, so colour and length are never the only carriers of meaning (WCAG 2.1,
1.1.1 and 1.4.1) and a screen reader reads "label, count". An SVG scaled to a phone's
width shrank its 14 px labels to about 7 px.
"""

from __future__ import annotations

from html import escape

from alusta.feedback.summary import QuestionSummary


def bar_label(question: QuestionSummary, value: str, label: dict[str, str], lang: str) -> str:
    return label.get(lang, value) if label else value


def bar_chart(question: QuestionSummary, lang: str, *, chart_id: str, title: str) -> str:
    """The HTML of one question's bars, the longest bar filling the bar's track."""
    largest = max((bar.count for bar in question.bars), default=0) or 1
    parts = [f'<ul class="feedback-chart" id="{chart_id}" aria-label="{escape(title)}">']
    for bar in question.bars:
        label = bar_label(question, bar.value, bar.label, lang)
        share = round(100 * bar.count / largest, 1)
        parts += [
            f'<li class="bar" data-value="{escape(bar.value)}" data-count="{bar.count}">',
            f'<span class="feedback-bar-label">{escape(label)}</span>',
            '<span class="feedback-bar-row">',
            f'<span class="feedback-bar" style="width: {share}%" aria-hidden="true"></span>',
            f'<span class="count">{bar.count}</span></span></li>',
        ]
    parts.append("</ul>")
    return "".join(parts)
