-- HourBridge schema, part 6: sync jobs.
--
-- `sync_pairs`: a DingTalk source and a PM target synced together, with a
-- pilot scope and a schedule. `sync_runs` is the durable queue: a run is
-- claimed by one instance with a lease (renewed while it runs, taken over
-- when it lapses) and checkpointed batch by batch. `worklog_ledger` is what
-- HourBridge wrote to each target, recorded before (pending) and after
-- (written) every write; `worklog_changes` keeps each run's writes so that
-- a run can be rolled back.

CREATE TABLE sync_pairs (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    dingtalk_connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    pm_connection_id       TEXT NOT NULL REFERENCES pm_connections (id),
    -- JSON: {"departments": [..], "people": [..]}; empty = everyone
    scope                  TEXT NOT NULL DEFAULT '{}',
    -- JSON: {"triggers": [{"cron": "..", "days_back": n}]}
    schedule               TEXT NOT NULL DEFAULT '{}',
    enabled                BOOLEAN NOT NULL DEFAULT TRUE,
    paused_reason          TEXT,
    failure_streak         BIGINT NOT NULL DEFAULT 0,
    pause_after_failures   BIGINT NOT NULL DEFAULT 3,
    last_success_at        BIGINT,
    -- the last scheduled time already queued (unix ms), so a restart
    -- neither repeats nor skips a trigger
    last_scheduled_at      BIGINT,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    UNIQUE (dingtalk_connection_id, pm_connection_id)
);

CREATE TABLE sync_runs (
    id               TEXT PRIMARY KEY,
    pair_id          TEXT NOT NULL REFERENCES sync_pairs (id),
    kind             TEXT NOT NULL,
    run_trigger      TEXT NOT NULL,
    first_day        TEXT NOT NULL,
    last_day         TEXT NOT NULL,
    -- JSON narrowing within the pair's scope: {"departments": [..], "people": [..]}
    scope            TEXT NOT NULL DEFAULT '{}',
    target_run_id    TEXT,
    state            TEXT NOT NULL,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    requested_by     TEXT,
    queued_at        BIGINT NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    lease_owner      TEXT,
    lease_until      BIGINT,
    claims           BIGINT NOT NULL DEFAULT 0,
    -- JSON: the step and batch reached
    checkpoint       TEXT NOT NULL DEFAULT '{}',
    progress_done    BIGINT NOT NULL DEFAULT 0,
    progress_total   BIGINT NOT NULL DEFAULT 0,
    records_in       BIGINT NOT NULL DEFAULT 0,
    records_out      BIGINT NOT NULL DEFAULT 0,
    skipped          BIGINT NOT NULL DEFAULT 0,
    failed           BIGINT NOT NULL DEFAULT 0,
    error            TEXT
);
CREATE INDEX sync_runs_by_state ON sync_runs (state, queued_at);
CREATE INDEX sync_runs_by_pair ON sync_runs (pair_id, queued_at);

CREATE TABLE sync_run_steps (
    run_id      TEXT NOT NULL REFERENCES sync_runs (id),
    step        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    status      TEXT NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    records_in  BIGINT NOT NULL DEFAULT 0,
    records_out BIGINT NOT NULL DEFAULT 0,
    skipped     BIGINT NOT NULL DEFAULT 0,
    failed      BIGINT NOT NULL DEFAULT 0,
    detail      TEXT,
    PRIMARY KEY (run_id, step)
);

CREATE TABLE sync_run_log (
    id      TEXT PRIMARY KEY,
    run_id  TEXT NOT NULL REFERENCES sync_runs (id),
    at      BIGINT NOT NULL,
    level   TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX sync_run_log_by_run ON sync_run_log (run_id, id);

-- Items that failed: a worklog line (by external id) or a person-day that
-- gave no lines (`userid:date`).
CREATE TABLE sync_failed_items (
    run_id      TEXT NOT NULL REFERENCES sync_runs (id),
    item_key    TEXT NOT NULL,
    userid      TEXT NOT NULL,
    work_date   TEXT NOT NULL,
    step        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    message     TEXT NOT NULL,
    attempts    BIGINT NOT NULL,
    retried_by  TEXT,
    at          BIGINT NOT NULL,
    PRIMARY KEY (run_id, item_key)
);

-- Each person-day's hours as last computed (after manual corrections).
CREATE TABLE day_hours (
    userid      TEXT NOT NULL,
    work_date   TEXT NOT NULL,
    seconds     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    rule        TEXT,
    corrected   BOOLEAN NOT NULL DEFAULT FALSE,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (userid, work_date)
);
CREATE INDEX day_hours_by_date ON day_hours (work_date);

-- The worklog lines each PM connection should hold, as last computed.
CREATE TABLE worklog_lines (
    pm_connection_id TEXT NOT NULL REFERENCES pm_connections (id),
    external_id      TEXT NOT NULL,
    userid           TEXT NOT NULL,
    work_date        TEXT NOT NULL,
    pm_user          TEXT NOT NULL,
    project          TEXT NOT NULL,
    task             TEXT,
    minutes          BIGINT NOT NULL,
    comment          TEXT NOT NULL,
    computed_at      BIGINT NOT NULL,
    PRIMARY KEY (pm_connection_id, external_id)
);
CREATE INDEX worklog_lines_by_day ON worklog_lines (pm_connection_id, userid, work_date);

-- What HourBridge wrote: `pending` before a write, `written` after it,
-- `deleted` once removed.
CREATE TABLE worklog_ledger (
    pm_connection_id TEXT NOT NULL REFERENCES pm_connections (id),
    external_id      TEXT NOT NULL,
    userid           TEXT NOT NULL,
    work_date        TEXT NOT NULL,
    pm_user          TEXT NOT NULL,
    project          TEXT NOT NULL,
    task             TEXT,
    minutes          BIGINT NOT NULL,
    comment          TEXT NOT NULL,
    state            TEXT NOT NULL,
    worklog_id       TEXT,
    run_id           TEXT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (pm_connection_id, external_id)
);
CREATE INDEX worklog_ledger_by_day ON worklog_ledger (pm_connection_id, userid, work_date);

-- Each run's writes, with what stood before, for rollback.
CREATE TABLE worklog_changes (
    run_id           TEXT NOT NULL REFERENCES sync_runs (id),
    external_id      TEXT NOT NULL,
    pm_connection_id TEXT NOT NULL,
    -- created | updated | deleted
    change           TEXT NOT NULL,
    -- JSON of the ledger entry before the change (updated, deleted)
    before           TEXT,
    at               BIGINT NOT NULL,
    PRIMARY KEY (run_id, external_id)
);

-- Hours set by hand for a person-day (手工补录), winning over computation.
CREATE TABLE hour_corrections (
    id         TEXT PRIMARY KEY,
    userid     TEXT NOT NULL,
    work_date  TEXT NOT NULL,
    seconds    BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    made_by    TEXT NOT NULL,
    made_at    BIGINT NOT NULL,
    -- a later correction of the same day replaces this one
    superseded BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX hour_corrections_by_day ON hour_corrections (userid, work_date);
