-- HourBridge schema, part 2: DingTalk connections, their call counters, the
-- synced directory, and received event callbacks.
-- Secret columns (`*_sealed`) hold AES-256-GCM ciphertext under the master key.

CREATE TABLE dingtalk_connections (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    corp_id                TEXT NOT NULL,
    app_key                TEXT NOT NULL UNIQUE,
    app_secret_sealed      TEXT NOT NULL,
    agent_id               TEXT NOT NULL DEFAULT '',
    oapi_base              TEXT NOT NULL,
    api_base               TEXT NOT NULL,
    qps                    BIGINT NOT NULL,
    monthly_quota          BIGINT NOT NULL,
    enabled                BOOLEAN NOT NULL DEFAULT TRUE,
    callback_token_sealed  TEXT NOT NULL,
    callback_aes_key_sealed TEXT NOT NULL,
    robot_webhook_sealed   TEXT,
    robot_secret_sealed    TEXT,
    last_test_at           BIGINT,
    last_test_ok           BOOLEAN,
    last_test_detail       TEXT,
    last_directory_sync_at BIGINT,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

-- Billable and throttled calls per connection, API and month (Asia/Shanghai, `YYYY-MM`).
CREATE TABLE dingtalk_call_counts (
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    month         TEXT NOT NULL,
    api           TEXT NOT NULL,
    billable      BIGINT NOT NULL DEFAULT 0,
    throttled     BIGINT NOT NULL DEFAULT 0,
    failed        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (connection_id, month, api)
);

CREATE TABLE departments (
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    dept_id       BIGINT NOT NULL,
    name          TEXT NOT NULL,
    parent_id     BIGINT,
    synced_at     BIGINT NOT NULL,
    PRIMARY KEY (connection_id, dept_id)
);

CREATE TABLE people (
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    userid        TEXT NOT NULL,
    name          TEXT NOT NULL,
    title         TEXT,
    email         TEXT,
    mobile        TEXT,
    job_number    TEXT,
    -- department ids, comma-separated, in the directory's order
    dept_ids      TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    hired_at      BIGINT,
    left_at       BIGINT,
    synced_at     BIGINT NOT NULL,
    PRIMARY KEY (connection_id, userid)
);
CREATE INDEX people_by_name ON people (connection_id, active, name);

-- Every accepted callback event; the sync engine consumes them.
CREATE TABLE dingtalk_events (
    id            TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    event_key     TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    payload       TEXT NOT NULL,
    handling      TEXT NOT NULL,
    UNIQUE (connection_id, event_key)
);

-- (timestamp, nonce) pairs seen recently: a second delivery is a replay.
CREATE TABLE dingtalk_callback_nonces (
    connection_id TEXT NOT NULL,
    stamp         TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    PRIMARY KEY (connection_id, stamp, nonce)
);
CREATE INDEX dingtalk_callback_nonces_by_time ON dingtalk_callback_nonces (received_at);

-- Person-days to pull again (from events), consumed by the sync engine.
CREATE TABLE dingtalk_pull_requests (
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    userid        TEXT NOT NULL,
    work_date     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    PRIMARY KEY (connection_id, userid, work_date)
);
