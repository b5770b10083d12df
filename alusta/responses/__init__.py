"""Responses under our posts: received mentions grouped, rendered and refreshed in place.

The build (plugins/alusta_mentions) and `publish.py refresh` / the endpoint's approval hook
render the same fragment with the same function (`render.render_fragment`), so a page
refreshed alone has the bytes a whole rebuild would give it. See docs/responses.md.
"""
