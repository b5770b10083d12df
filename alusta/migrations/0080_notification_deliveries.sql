-- Notifications, one row per thing to tell and channel (issue 14; issue 11 item 6).
--
-- A reply to moderate or a feedback answer is told to people by e-mail and/or a webhook.
-- Each channel is its own row, so a webhook that fails and is retried never sends the
-- e-mail again, and a restart sends only what is still due. `state`: 'due' until sent
-- (or until the attempts run out: 'failed'); 'skipped' when the site or form no longer
-- asks for that channel. Mention e-mails are batched per site: the last `sent_at` of a
-- site's mention e-mails decides when the next one may go.

CREATE TABLE notification_deliveries (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL CHECK (subject IN ('mention', 'feedback')),
    subject_id INTEGER NOT NULL,           -- mentions.id or feedback_submissions.id
    site TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    state TEXT NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,  -- Unix seconds
    sent_at REAL,                             -- Unix seconds, once sent
    error TEXT NOT NULL DEFAULT '',           -- of the last failed attempt
    created TEXT NOT NULL,                    -- ISO 8601 UTC
    UNIQUE (subject, subject_id, channel)
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (state, next_attempt_at);
CREATE INDEX notification_deliveries_sent
    ON notification_deliveries (subject, site, channel, sent_at) WHERE state = 'sent';

-- Feedback answers still waiting under 0040's one flag: one row per channel from now on
-- (a channel the form does not use is skipped when its turn comes).
INSERT INTO notification_deliveries (subject, subject_id, site, channel, created)
SELECT 'feedback', submissions.id, submissions.site, channels.channel,
    strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM feedback_submissions AS submissions,
    (SELECT 'email' AS channel UNION ALL SELECT 'webhook') AS channels
WHERE submissions.notify_pending = 1;

UPDATE feedback_submissions SET notify_pending = 0 WHERE notify_pending = 1;
