-- HourBridge schema, part 1: accounts, audit log, login throttling, settings.
-- Written in the SQL that SQLite and PostgreSQL both accept: TEXT ids (UUID v7),
-- BIGINT unix times, BOOLEAN flags. Never edit an applied migration; add a new one.

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'project_manager', 'hr', 'viewer')),
    password_hash        TEXT NOT NULL,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    -- moves on when a password is reset or an account deactivated: older sessions end
    session_epoch        BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id       TEXT PRIMARY KEY,
    at_ms    BIGINT NOT NULL,
    actor_id TEXT,
    actor    TEXT,
    action   TEXT NOT NULL,
    target   TEXT,
    detail   TEXT,
    ip       TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms, id);
CREATE INDEX audit_log_by_action ON audit_log (action, at_ms);

CREATE TABLE login_failures (
    id       TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at_secs  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_user ON login_failures (username, at_secs);
CREATE INDEX login_failures_by_ip ON login_failures (ip, at_secs);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
