"""Incremental production builds: the preview's engine, its state kept between builds.

`publish.py build` keeps, per site, what alusta.preview.engine.SiteEngine holds in memory
(Pelican's parsed content and what every output showed) in var/build-cache/<site>/, so the
next build re-reads only changed files and renders only outputs whose content changed.
`fingerprint` says when a cache no longer applies; `state` reads and writes it;
`production` runs a site with it inside the build's worker process.
"""
