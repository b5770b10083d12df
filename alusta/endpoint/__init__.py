"""The endpoint: Webmention and Pingback receiving, and the JF2 API of what was received.

`routes.ROUTES` and `routes.REFUSALS` are composed with the feedback routes by the app
factory (alusta.app); `state.running` builds what the routes share and runs the worker.
"""
