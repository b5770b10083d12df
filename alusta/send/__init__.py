"""Telling the sites we link to about it: Webmentions, Pingbacks, and the sending state.

discover (where a target takes notifications), notify (one notification), links (what a
built post links to), state (SQL of what was sent), job (the `send` run).
"""
