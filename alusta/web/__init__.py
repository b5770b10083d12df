"""The shared HTTP edge of the endpoint's routes and the feedback routes.

Both serve strangers over HTTP and need the same things: bodies read under a size cap,
rate limits (guard: clients behind trusted proxies, buckets shared by the worker
processes), short pages for browsers, the database handle that keeps SQLite off the event
loop, and refusals mapped to responses once. Both import this package; neither imports
the other, and the app factory (alusta.app) composes them.
"""
