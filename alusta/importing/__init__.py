"""Moving in from other systems: WordPress exports and webmention.io's history.

Each importer reads a file, plans what it would write, stages it and moves it in at the
end, so a bad file or an unreachable image leaves the site as it was (docs/migrating.md).
"""
