"""Pelican plugin: gettext catalogs, per-language dates and readable colours for our theme."""

from .alusta_i18n import register

__all__ = ["register"]
