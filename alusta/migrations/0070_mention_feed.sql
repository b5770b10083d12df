-- The JF2 API (GET /mentions) reads pages of a target's mentions and answers repeated reads
-- from a cache with ETags (issue 11, item 3).
--
-- `mention_feed_versions`: a counter per target_key, and one for every target ('*'), raised
-- by triggers whenever a mention that is or was approved changes (verification, moderation,
-- the CLI, imports, send: every writer, in every process). A cached page or an ETag holds
-- while its counters stand. Intake inserts queued rows, so accepting costs no extra write.
-- A fragment is no part of the page it points into: targets stored with one (`…#vastaukset`)
-- keep the page's URL only, as target_key always did.
-- (The triggers insert missing counters with NOT IN, not INSERT OR IGNORE: inside a trigger
-- the outer statement's conflict policy would override OR IGNORE.)

UPDATE mentions SET target = substr(target, 1, instr(target, '#') - 1)
WHERE instr(target, '#') > 0;

DROP INDEX mentions_target;

CREATE INDEX mentions_target ON mentions (target_key, status, received);

CREATE TABLE mention_feed_versions (
    target_key TEXT PRIMARY KEY,           -- a normalize_url key, or '*' for all targets
    version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER mention_feed_insert AFTER INSERT ON mentions
WHEN NEW.status = 'approved'
BEGIN
    INSERT INTO mention_feed_versions (target_key)
    SELECT key FROM (SELECT NEW.target_key AS key UNION SELECT '*')
    WHERE key NOT IN (SELECT target_key FROM mention_feed_versions);
    UPDATE mention_feed_versions SET version = version + 1
    WHERE target_key IN (NEW.target_key, '*');
END;

CREATE TRIGGER mention_feed_update AFTER UPDATE ON mentions
WHEN NEW.status = 'approved' OR OLD.status = 'approved'
BEGIN
    INSERT INTO mention_feed_versions (target_key)
    SELECT key FROM (SELECT NEW.target_key AS key UNION SELECT OLD.target_key UNION SELECT '*')
    WHERE key NOT IN (SELECT target_key FROM mention_feed_versions);
    UPDATE mention_feed_versions SET version = version + 1
    WHERE target_key IN (NEW.target_key, OLD.target_key, '*');
END;

CREATE TRIGGER mention_feed_delete AFTER DELETE ON mentions
WHEN OLD.status = 'approved'
BEGIN
    INSERT INTO mention_feed_versions (target_key)
    SELECT key FROM (SELECT OLD.target_key AS key UNION SELECT '*')
    WHERE key NOT IN (SELECT target_key FROM mention_feed_versions);
    UPDATE mention_feed_versions SET version = version + 1
    WHERE target_key IN (OLD.target_key, '*');
END;
