-- HourBridge schema, part 5: what admins draw in the browser — the rule
-- book, each PM connection's field mapping and allocation plan, calendar
-- edits — stored as JSON documents, one row per saved revision.
--
-- A document is never updated in place: every save adds the next revision,
-- so the previous one stays readable (and a refused save changes nothing).
-- The documents carry their own effective-from dates (rule and mapping
-- versions); revisions record who changed what when.
--
-- kind:  'rules' | 'mapping' | 'allocation' | 'calendar' | 'dingtalk_holidays'
-- scope: '' for organisation-wide documents, the PM connection id for
--        mappings and allocation plans, the year for calendar edits, the
--        DingTalk connection id for its holiday API answers.

CREATE TABLE rule_documents (
    kind      TEXT NOT NULL,
    scope     TEXT NOT NULL DEFAULT '',
    revision  BIGINT NOT NULL,
    body      TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    saved_at  BIGINT NOT NULL,
    PRIMARY KEY (kind, scope, revision)
);
