-- HourBridge schema, part 3: attendance pulled from DingTalk, as DingTalk
-- reported it. The rules (issue 5) turn these rows into hours.
-- Dates are local (Asia/Shanghai) `YYYY-MM-DD`; times are unix milliseconds.

-- One scheduled check point's result (`attendance/list`), keyed by DingTalk's id.
CREATE TABLE punch_results (
    connection_id   TEXT NOT NULL REFERENCES dingtalk_connections (id),
    result_id       BIGINT NOT NULL,
    userid          TEXT NOT NULL,
    work_date       TEXT NOT NULL,
    check_type      TEXT NOT NULL,
    time_result     TEXT NOT NULL,
    location_result TEXT,
    source_type     TEXT,
    base_check_time BIGINT,
    user_check_time BIGINT,
    plan_id         BIGINT,
    group_id        BIGINT,
    -- the approval form the result is tied to (procInstId, else approveId)
    form_id         TEXT,
    pulled_at       BIGINT NOT NULL,
    PRIMARY KEY (connection_id, result_id)
);
CREATE INDEX punch_results_by_person_day ON punch_results (connection_id, userid, work_date);
CREATE INDEX punch_results_by_day ON punch_results (connection_id, work_date);

-- Leave taken (`getleavestatus`). A re-pull of a range replaces its entries.
CREATE TABLE leave_entries (
    connection_id    TEXT NOT NULL REFERENCES dingtalk_connections (id),
    userid           TEXT NOT NULL,
    start_time       BIGINT NOT NULL,
    end_time         BIGINT NOT NULL,
    leave_code       TEXT NOT NULL DEFAULT '',
    duration_unit    TEXT,
    duration_percent BIGINT,
    pulled_at        BIGINT NOT NULL,
    PRIMARY KEY (connection_id, userid, start_time, leave_code)
);
CREATE INDEX leave_entries_by_time ON leave_entries (connection_id, start_time);

-- Finished approval forms (`getupdatedata` approve_list): leave, trips,
-- outings and overtime, keyed by the form's process instance.
CREATE TABLE approval_forms (
    connection_id TEXT NOT NULL REFERENCES dingtalk_connections (id),
    form_id       TEXT NOT NULL,
    userid        TEXT NOT NULL,
    biz_type      BIGINT NOT NULL,
    tag_name      TEXT,
    sub_type      TEXT,
    duration      DOUBLE PRECISION,
    duration_unit TEXT,
    begin_time    TEXT,
    end_time      TEXT,
    finished_at   TEXT,
    pulled_at     BIGINT NOT NULL,
    PRIMARY KEY (connection_id, form_id)
);
CREATE INDEX approval_forms_by_person ON approval_forms (connection_id, userid, begin_time);

-- The last attendance pull of each connection, for the connections page and
-- the forecast: what it covered and what it cost.
CREATE TABLE attendance_pulls (
    id             TEXT PRIMARY KEY,
    connection_id  TEXT NOT NULL REFERENCES dingtalk_connections (id),
    first_day      TEXT NOT NULL,
    last_day       TEXT NOT NULL,
    people         BIGINT NOT NULL,
    results        BIGINT NOT NULL,
    leave_entries  BIGINT NOT NULL,
    forms          BIGINT NOT NULL,
    billable_calls BIGINT NOT NULL,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    outcome        TEXT NOT NULL,
    detail         TEXT
);
CREATE INDEX attendance_pulls_by_connection ON attendance_pulls (connection_id, started_at);
