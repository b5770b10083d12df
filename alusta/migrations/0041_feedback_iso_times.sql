-- Feedback times as ISO 8601 UTC text, the form the mention tables use (`alusta.db.iso`).
--
-- 0040 stored `received_at` as REAL Unix seconds; this copies every row into a table whose
-- `received_at` is TEXT like 2026-11-30T23:48:57+00:00 (seconds, UTC), so one way of
-- writing time serves the whole database and text order is time order.

CREATE TABLE feedback_submissions_0041 (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    form TEXT NOT NULL,
    lang TEXT NOT NULL,
    answers TEXT NOT NULL,                   -- JSON object
    email TEXT,                              -- lower-cased, NULL when none was given
    client_hash TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',           -- the page the form was sent from (Referer)
    received_at TEXT NOT NULL,               -- ISO 8601 UTC, seconds
    notify_pending INTEGER NOT NULL DEFAULT 0,  -- 1 while a notification is still to be sent
    notify_attempts INTEGER NOT NULL DEFAULT 0
);

INSERT INTO feedback_submissions_0041 (
    id, site, form, lang, answers, email, client_hash, page, received_at,
    notify_pending, notify_attempts
)
SELECT
    id, site, form, lang, answers, email, client_hash, page,
    strftime('%Y-%m-%dT%H:%M:%S+00:00', CAST(received_at AS INTEGER), 'unixepoch'),
    notify_pending, notify_attempts
FROM feedback_submissions;

DROP TABLE feedback_submissions;

ALTER TABLE feedback_submissions_0041 RENAME TO feedback_submissions;

CREATE INDEX feedback_by_form ON feedback_submissions (site, form, received_at);
CREATE INDEX feedback_by_email ON feedback_submissions (email) WHERE email IS NOT NULL;
CREATE INDEX feedback_notify ON feedback_submissions (notify_pending) WHERE notify_pending = 1;
