"""Live preview for `publish.py serve`: watch the sources, rebuild what changed, reload the tab.

changes   which sites a set of changed files affects (pure)
events    the browser side: one stream of reload/error events, shared by every open tab
app       the ASGI wrapper that serves the event stream and injects the reload script
watch     the loop: watchfiles → rebuild in a worker thread → events
"""
