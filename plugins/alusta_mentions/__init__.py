"""Pelican plugin: approved mentions rendered under every post and page, refreshable alone."""

from .alusta_mentions import register

__all__ = ["register"]
