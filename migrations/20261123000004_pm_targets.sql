-- HourBridge schema, part 4: project-management connections (Jira, Redmine,
-- ZenTao, TAPD, Feishu Project), their users, and who is who.
-- `secret_sealed` holds AES-256-GCM ciphertext under the master key.

CREATE TABLE pm_connections (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    base_url         TEXT NOT NULL,
    username         TEXT NOT NULL DEFAULT '',
    secret_sealed    TEXT NOT NULL,
    -- kind-specific settings (JSON): activity, external-id field, switch-user, space
    settings         TEXT NOT NULL DEFAULT '{}',
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    last_test_at     BIGINT,
    last_test_ok     BOOLEAN,
    last_test_detail TEXT,
    last_users_sync_at BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- The users of each PM connection, as last read.
CREATE TABLE pm_users (
    connection_id TEXT NOT NULL REFERENCES pm_connections (id),
    user_id       TEXT NOT NULL,
    login         TEXT,
    name          TEXT NOT NULL,
    email         TEXT,
    mobile        TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    synced_at     BIGINT NOT NULL,
    PRIMARY KEY (connection_id, user_id)
);

-- Decisions made by hand: this DingTalk person is that PM user (or has no
-- account there when `pm_user_id` is NULL). Automatic matches are computed,
-- not stored, so they follow the directories.
CREATE TABLE person_match_decisions (
    pm_connection_id TEXT NOT NULL REFERENCES pm_connections (id),
    userid           TEXT NOT NULL,
    pm_user_id       TEXT,
    decided_by       TEXT NOT NULL,
    decided_at       BIGINT NOT NULL,
    PRIMARY KEY (pm_connection_id, userid)
);
