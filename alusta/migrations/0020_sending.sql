-- Sending Webmentions and Pingbacks for the links in our posts (alusta.send, issue 6).
--
-- published_posts: every post a build published, written by the alusta_gone Pelican plugin.
--   Rows stay after the post is gone (gone_since set), so every later build keeps leaving
--   its 410 page and `send` knows to tell its former targets.
-- sent_posts / sent_links: what `send` last announced for each post; the next run compares
--   the built post with this and notifies only what changed.
-- notifications: the outbox, one row per (source, target); a new change re-arms the row.
-- send_attempts: every try, for `send --status` and for the record.

CREATE TABLE published_posts (
    site TEXT NOT NULL,
    path TEXT NOT NULL,                    -- URL relative to the site's SITEURL: "2026/09/slug/"
    save_as TEXT NOT NULL,                 -- file relative to the site's output folder
    first_built TEXT NOT NULL,             -- ISO 8601 UTC
    last_built TEXT NOT NULL,
    gone_since TEXT,                       -- ISO 8601 UTC; NULL while the post is published
    PRIMARY KEY (site, path)
);

CREATE TABLE sent_posts (
    site TEXT NOT NULL,
    path TEXT NOT NULL,
    source TEXT NOT NULL,                  -- the absolute URL the notifications named
    content_hash TEXT NOT NULL,            -- sha256 of the e-content HTML; '' once gone
    updated TEXT NOT NULL,
    PRIMARY KEY (site, path)
);

CREATE TABLE sent_links (
    site TEXT NOT NULL,
    path TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (site, path, target),
    FOREIGN KEY (site, path) REFERENCES sent_posts (site, path) ON DELETE CASCADE
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL,                  -- new-link, content-changed, link-removed, post-gone
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'given-up')),
    outcome TEXT NOT NULL DEFAULT '',      -- of the last attempt (alusta.send.notify.Outcome)
    tries INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,  -- Unix seconds
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (source, target)
);

CREATE INDEX notifications_due ON notifications (state, next_attempt_at);

CREATE TABLE send_attempts (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER REFERENCES notifications (id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    protocol TEXT NOT NULL,                -- webmention, pingback, internal or '' (none found)
    endpoint TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,                        -- HTTP status, NULL when no answer came
    excerpt TEXT NOT NULL,                 -- start of the response body, or the error
    at TEXT NOT NULL                       -- ISO 8601 UTC
);

CREATE INDEX send_attempts_notification ON send_attempts (notification_id);
