-- Answers to the feedback forms (docs/feedback.md).
--
-- `answers` is the validated JSON object {field name: answer}; only fields the form defines
-- are ever stored. `email` repeats the lower-cased address of an email field so that one
-- person's submissions can be found and deleted on request. The client's IP address is
-- never stored: `client_hash` is an HMAC of it keyed with the instance secret.
-- Rows are deleted when they are older than the form's retention period.

CREATE TABLE feedback_submissions (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    form TEXT NOT NULL,
    lang TEXT NOT NULL,
    answers TEXT NOT NULL,                   -- JSON object
    email TEXT,                              -- lower-cased, NULL when none was given
    client_hash TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',           -- the page the form was sent from (Referer)
    received_at REAL NOT NULL,               -- Unix seconds
    notify_pending INTEGER NOT NULL DEFAULT 0,  -- 1 while a notification is still to be sent
    notify_attempts INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX feedback_by_form ON feedback_submissions (site, form, received_at);
CREATE INDEX feedback_by_email ON feedback_submissions (email) WHERE email IS NOT NULL;
CREATE INDEX feedback_notify ON feedback_submissions (notify_pending) WHERE notify_pending = 1;
