"""Alusta: static living-lab blogs from git, with Webmentions, Pingbacks and feedback forms."""

__version__ = "0.1.0"
