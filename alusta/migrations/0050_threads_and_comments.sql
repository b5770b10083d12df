-- Threads and imported comments (issues 13 and 15).
--
-- `in_reply_to`: the URL this response answers when it is another response we show (its
-- source URL), so replies to replies are drawn inside their parent; '' for a top-level one.
-- `protocol` gains 'comment': a comment brought over from another system (a WordPress
-- import); it is never verified (job 'done') and has no live source to fetch.
-- `author_email_hash`: the salted hash feedback uses, so a person's imported comments can be
-- erased on request; the address itself is never stored.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.

CREATE TABLE mentions_new (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    target_key TEXT NOT NULL,
    source_host TEXT NOT NULL,
    site TEXT NOT NULL,
    protocol TEXT NOT NULL CHECK (protocol IN ('webmention', 'pingback', 'comment')),
    status TEXT NOT NULL
        CHECK (status IN ('queued', 'pending', 'approved', 'rejected', 'deleted')),
    reason TEXT NOT NULL DEFAULT '',
    moderated TEXT NOT NULL DEFAULT '',
    received TEXT NOT NULL,
    updated TEXT NOT NULL,
    job TEXT NOT NULL DEFAULT 'queued' CHECK (job IN ('queued', 'claimed', 'done')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    claimed_until REAL NOT NULL DEFAULT 0,
    verified INTEGER NOT NULL DEFAULT 0,
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
    in_reply_to TEXT NOT NULL DEFAULT '',
    author_email_hash TEXT NOT NULL DEFAULT '',
    UNIQUE (source, target_key)
);

INSERT INTO mentions_new (id, token, source, target, target_key, source_host, site, protocol,
    status, reason, moderated, received, updated, job, attempts, next_attempt_at, claimed_until,
    verified, final_url, kind, author_name, author_url, author_photo, published, name,
    content_html, content_text, title, excerpt)
SELECT id, token, source, target, target_key, source_host, site, protocol, status, reason,
    moderated, received, updated, job, attempts, next_attempt_at, claimed_until, verified,
    final_url, kind, author_name, author_url, author_photo, published, name, content_html,
    content_text, title, excerpt
FROM mentions;

DROP TABLE mentions;

ALTER TABLE mentions_new RENAME TO mentions;

CREATE INDEX mentions_job ON mentions (job, next_attempt_at);
CREATE INDEX mentions_target ON mentions (target_key, status);
CREATE INDEX mentions_site ON mentions (site, status, received);
CREATE INDEX mentions_email ON mentions (author_email_hash) WHERE author_email_hash != '';
