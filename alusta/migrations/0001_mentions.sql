-- Received Webmentions and Pingbacks, their verification queue and the moderation lists.
--
-- One row per (source, target_key): a sender that sends the same pair again re-verifies and
-- replaces the row (W3C Webmention 3.2.4 "Updating existing Webmentions").
-- `status` is what readers see (only 'approved' is shown); `job` is the verification queue:
-- 'queued' rows wait for `next_attempt_at`, 'claimed' rows are being verified until
-- `claimed_until` (a worker that dies leaves them to be claimed again), 'done' rows are idle.

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,            -- unguessable id of the public status page
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    target_key TEXT NOT NULL,              -- alusta.urls.normalize_url(target): any spelling
    source_host TEXT NOT NULL,
    site TEXT NOT NULL,
    protocol TEXT NOT NULL CHECK (protocol IN ('webmention', 'pingback')),
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'pending', 'approved', 'rejected', 'deleted')),
    reason TEXT NOT NULL DEFAULT '',
    moderated TEXT NOT NULL DEFAULT '',    -- '', 'approved' or 'rejected': a moderator's word
    received TEXT NOT NULL,                -- ISO 8601 UTC of the first request
    updated TEXT NOT NULL,                 -- ISO 8601 UTC of the last change
    job TEXT NOT NULL DEFAULT 'queued' CHECK (job IN ('queued', 'claimed', 'done')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,  -- Unix seconds
    claimed_until REAL NOT NULL DEFAULT 0,    -- Unix seconds
    verified INTEGER NOT NULL DEFAULT 0,      -- 1 once any verification succeeded
    final_url TEXT,
    kind TEXT,
    author_name TEXT,
    author_url TEXT,
    author_photo TEXT,
    published TEXT,
    name TEXT,
    content_html TEXT,
    content_text TEXT,
    title TEXT,
    excerpt TEXT,
    UNIQUE (source, target_key)
);

CREATE INDEX mentions_job ON mentions (job, next_attempt_at);
CREATE INDEX mentions_target ON mentions (target_key, status);
CREATE INDEX mentions_site ON mentions (site, status, received);

CREATE TABLE mention_domains (
    domain TEXT PRIMARY KEY,               -- lower-case host name, matches subdomains too
    rule TEXT NOT NULL CHECK (rule IN ('allow', 'block')),
    created TEXT NOT NULL
);
