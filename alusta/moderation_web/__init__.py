"""The moderation page `/moderation/`: replies to approve, reject, delete, block or allow,
in a browser, for the admin token and for per-site moderator tokens (docs/moderation.md).

`access` decides who is logged in (signed session cookie, CSRF token, login rate limit),
`listing` reads what the page shows, `routes` are the thin HTTP handlers and `render`
fills the Jinja2 templates in theme/templates/moderation/ with the gettext catalogues.
"""
