"""Pelican plugin: a post with `Category: A, B` is listed on each category page and feed."""

from .alusta_categories import register

__all__ = ["register"]
