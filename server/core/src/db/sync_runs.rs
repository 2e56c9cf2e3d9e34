//! `sync_runs` and their steps, failed items and log lines. The runs table
//! is the durable queue: [`claim`] hands a run to one instance under a
//! lease, [`renew`] keeps it, and a run whose lease lapsed (its instance
//! died) is claimed again by whoever asks next. Every write made while
//! running names the lease owner, so an instance that lost its lease
//! cannot overwrite the one that took over.

use super::Db;
use crate::with_pool;

/// A run as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRecord {
    pub id: String,
    pub pair_id: String,
    pub kind: String,
    pub run_trigger: String,
    pub first_day: String,
    pub last_day: String,
    pub scope: String,
    pub target_run_id: Option<String>,
    pub state: String,
    pub cancel_requested: bool,
    pub requested_by: Option<String>,
    pub queued_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub claims: i64,
    pub checkpoint: String,
    pub progress_done: i64,
    pub progress_total: i64,
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, pair_id, kind, run_trigger, first_day, last_day, scope, target_run_id, \
    state, cancel_requested, requested_by, queued_at, started_at, finished_at, lease_owner, \
    lease_until, claims, checkpoint, progress_done, progress_total, records_in, records_out, \
    skipped, failed, error";

/// What a new run is.
#[derive(Debug, Clone)]
pub struct NewRun<'a> {
    pub id: &'a str,
    pub pair_id: &'a str,
    pub kind: &'a str,
    pub trigger: &'a str,
    pub first_day: &'a str,
    pub last_day: &'a str,
    pub scope: &'a str,
    pub target_run_id: Option<&'a str>,
    pub requested_by: Option<&'a str>,
    pub queued_at: i64,
}

pub async fn enqueue(db: &Db, run: &NewRun<'_>) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO sync_runs (id, pair_id, kind, run_trigger, first_day, last_day, scope, \
               target_run_id, state, requested_by, queued_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10)";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(run.id).bind(run.pair_id).bind(run.kind).bind(run.trigger)
        .bind(run.first_day).bind(run.last_day).bind(run.scope).bind(run.target_run_id)
        .bind(run.requested_by).bind(run.queued_at)
        .execute(pool).await.map(|_| ()))
}

pub async fn get(db: &Db, id: &str) -> Result<Option<RunRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM sync_runs WHERE id = $1");
    with_pool!(db, pool => sqlx::query_as::<_, RunRecord>(&sql).bind(id).fetch_optional(pool).await)
}

/// Runs, newest first, filtered.
pub async fn page(
    db: &Db,
    pair_id: Option<&str>,
    state: Option<&str>,
    trigger: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RunRecord>, i64), sqlx::Error> {
    let filter = "($1 IS NULL OR pair_id = $1) AND ($2 IS NULL OR state = $2) \
                  AND ($3 IS NULL OR run_trigger = $3)";
    let sql = format!(
        "SELECT {COLUMNS} FROM sync_runs WHERE {filter} ORDER BY queued_at DESC, id DESC \
         LIMIT $4 OFFSET $5"
    );
    let count = format!("SELECT COUNT(*) FROM sync_runs WHERE {filter}");
    with_pool!(db, pool => {
        let rows = sqlx::query_as::<_, RunRecord>(&sql)
            .bind(pair_id).bind(state).bind(trigger).bind(limit).bind(offset)
            .fetch_all(pool).await?;
        let total: i64 = sqlx::query_scalar(&count)
            .bind(pair_id).bind(state).bind(trigger).fetch_one(pool).await?;
        Ok((rows, total))
    })
}

/// Runs queued or running, and those finished since `since` (unix ms).
pub async fn active_or_finished_since(db: &Db, since: i64) -> Result<Vec<RunRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sync_runs WHERE state IN ('queued', 'running') \
         OR finished_at >= $1 ORDER BY queued_at"
    );
    with_pool!(db, pool => sqlx::query_as::<_, RunRecord>(&sql).bind(since).fetch_all(pool).await)
}

/// The run queued or running for a pair, if any (the oldest).
pub async fn active_for_pair(db: &Db, pair_id: &str) -> Result<Option<RunRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sync_runs WHERE pair_id = $1 AND state IN ('queued', 'running') \
         ORDER BY state DESC, queued_at LIMIT 1"
    );
    with_pool!(db, pool => sqlx::query_as::<_, RunRecord>(&sql).bind(pair_id).fetch_optional(pool).await)
}

/// Whether a scheduled run of the pair is still waiting.
pub async fn scheduled_waiting(db: &Db, pair_id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM sync_runs WHERE pair_id = $1 AND state = 'queued' \
               AND run_trigger = 'schedule'";
    let n: i64 =
        with_pool!(db, pool => sqlx::query_scalar(sql).bind(pair_id).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// The next run to work on, claimed for `owner` until `lease_until`: a
/// running run whose lease lapsed first (its instance died), else the
/// oldest queued run of a pair with nothing running. At most one run per
/// pair runs at a time.
pub async fn claim(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
) -> Result<Option<RunRecord>, sqlx::Error> {
    let candidates = "FROM sync_runs r WHERE \
        (r.state = 'running' AND r.lease_until < $3) \
        OR (r.state = 'queued' AND NOT EXISTS (SELECT 1 FROM sync_runs o \
            WHERE o.pair_id = r.pair_id AND o.id <> r.id AND o.state = 'running')) \
        ORDER BY CASE WHEN r.state = 'running' THEN 0 ELSE 1 END, r.queued_at, r.id LIMIT 1";
    let set = "UPDATE sync_runs SET state = 'running', lease_owner = $1, lease_until = $2, \
               claims = claims + 1, started_at = COALESCE(started_at, $3) WHERE id = ";
    match db {
        Db::Sqlite(pool) => {
            // One writer at a time: the sub-select and the update are atomic.
            let sql = format!("{set}(SELECT r.id {candidates}) RETURNING {COLUMNS}");
            sqlx::query_as::<_, RunRecord>(&sql)
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .fetch_optional(pool)
                .await
        }
        Db::Postgres(pool) => {
            // Claims are serialised by a transaction-scoped advisory lock, so
            // two instances never both see a pair as idle; SKIP LOCKED keeps
            // a claim from waiting on a row another transaction holds.
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock(7142031)")
                .execute(&mut *tx)
                .await?;
            let sql = format!(
                "{set}(SELECT r.id {candidates} FOR UPDATE SKIP LOCKED) RETURNING {COLUMNS}"
            );
            let claimed = sqlx::query_as::<_, RunRecord>(&sql)
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(claimed)
        }
    }
}

/// Extends the lease; false when it was lost (taken over, or the run ended).
pub async fn renew(db: &Db, id: &str, owner: &str, until: i64) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_runs SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 \
               AND state = 'running'";
    let done = with_pool!(db, pool => sqlx::query(sql)
        .bind(id).bind(owner).bind(until).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Progress and counters of a run, as its owner reports them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub done: i64,
    pub total: i64,
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// Records a checkpoint with the progress reached; false when the lease
/// was lost (nothing written).
pub async fn checkpoint(
    db: &Db,
    id: &str,
    owner: &str,
    checkpoint: &str,
    p: &Progress,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_runs SET checkpoint = $3, progress_done = $4, progress_total = $5, \
               records_in = $6, records_out = $7, skipped = $8, failed = $9 \
               WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
    let done = with_pool!(db, pool => sqlx::query(sql)
        .bind(id).bind(owner).bind(checkpoint).bind(p.done).bind(p.total)
        .bind(p.records_in).bind(p.records_out).bind(p.skipped).bind(p.failed)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Ends a run; false when the lease was lost.
pub async fn finish(
    db: &Db,
    id: &str,
    owner: &str,
    state: &str,
    error: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE sync_runs SET state = $3, error = $4, finished_at = $5, lease_until = NULL \
               WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
    let done = with_pool!(db, pool => sqlx::query(sql)
        .bind(id).bind(owner).bind(state).bind(error).bind(at)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Cancels a queued run at once; asks a running one to stop at its next
/// checkpoint. Answers the state after the request.
pub async fn request_cancel(db: &Db, id: &str, at: i64) -> Result<(), sqlx::Error> {
    let queued = "UPDATE sync_runs SET state = 'cancelled', cancel_requested = TRUE, \
                  finished_at = $2 WHERE id = $1 AND state = 'queued'";
    let running =
        "UPDATE sync_runs SET cancel_requested = TRUE WHERE id = $1 AND state = 'running'";
    with_pool!(db, pool => {
        sqlx::query(queued).bind(id).bind(at).execute(pool).await?;
        sqlx::query(running).bind(id).execute(pool).await?;
        Ok(())
    })
}

pub async fn cancel_requested(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let sql = "SELECT cancel_requested FROM sync_runs WHERE id = $1";
    let flag: Option<bool> =
        with_pool!(db, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await)?;
    Ok(flag.unwrap_or(true))
}

/// A step's row.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct StepRecord {
    pub step: String,
    pub position: i64,
    pub status: String,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub records_in: i64,
    pub records_out: i64,
    pub skipped: i64,
    pub failed: i64,
    pub detail: Option<String>,
}

/// Writes a step's row (insert or replace).
pub async fn put_step(db: &Db, run_id: &str, s: &StepRecord) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO sync_run_steps (run_id, step, position, status, started_at, \
               finished_at, records_in, records_out, skipped, failed, detail) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
               ON CONFLICT (run_id, step) DO UPDATE SET status = excluded.status, \
               started_at = excluded.started_at, finished_at = excluded.finished_at, \
               records_in = excluded.records_in, records_out = excluded.records_out, \
               skipped = excluded.skipped, failed = excluded.failed, detail = excluded.detail";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(run_id).bind(&s.step).bind(s.position).bind(&s.status).bind(s.started_at)
        .bind(s.finished_at).bind(s.records_in).bind(s.records_out).bind(s.skipped)
        .bind(s.failed).bind(&s.detail)
        .execute(pool).await.map(|_| ()))
}

pub async fn steps(db: &Db, run_id: &str) -> Result<Vec<StepRecord>, sqlx::Error> {
    let sql = "SELECT step, position, status, started_at, finished_at, records_in, records_out, \
               skipped, failed, detail FROM sync_run_steps WHERE run_id = $1 ORDER BY position";
    with_pool!(db, pool => sqlx::query_as::<_, StepRecord>(sql).bind(run_id).fetch_all(pool).await)
}

pub async fn log(db: &Db, run_id: &str, level: &str, message: &str) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO sync_run_log (id, run_id, at, level, message) VALUES ($1, $2, $3, $4, $5)";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(crate::clock::new_id()).bind(run_id).bind(crate::clock::now_ms()).bind(level)
        .bind(message).execute(pool).await.map(|_| ()))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRecord {
    pub at: i64,
    pub level: String,
    pub message: String,
}

/// The run's last `limit` log lines, oldest first.
pub async fn log_lines(db: &Db, run_id: &str, limit: i64) -> Result<Vec<LogRecord>, sqlx::Error> {
    let sql = "SELECT at, level, message FROM (SELECT id, at, level, message FROM sync_run_log \
               WHERE run_id = $1 ORDER BY id DESC LIMIT $2) t ORDER BY id";
    with_pool!(db, pool => sqlx::query_as::<_, LogRecord>(sql).bind(run_id).bind(limit).fetch_all(pool).await)
}

/// An item that failed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FailedRecord {
    pub item_key: String,
    pub userid: String,
    pub work_date: String,
    pub step: String,
    pub reason: String,
    pub message: String,
    pub attempts: i64,
    pub retried_by: Option<String>,
}

pub async fn add_failed(db: &Db, run_id: &str, f: &FailedRecord) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO sync_failed_items (run_id, item_key, userid, work_date, step, reason, \
               message, attempts, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
               ON CONFLICT (run_id, item_key) DO UPDATE SET reason = excluded.reason, \
               message = excluded.message, attempts = excluded.attempts, at = excluded.at";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(run_id).bind(&f.item_key).bind(&f.userid).bind(&f.work_date).bind(&f.step)
        .bind(&f.reason).bind(&f.message).bind(f.attempts).bind(crate::clock::now_ms())
        .execute(pool).await.map(|_| ()))
}

/// Forgets a failure recorded earlier in the same run (the item succeeded
/// when the run resumed).
pub async fn clear_failed(db: &Db, run_id: &str, item_key: &str) -> Result<(), sqlx::Error> {
    let sql = "DELETE FROM sync_failed_items WHERE run_id = $1 AND item_key = $2";
    with_pool!(db, pool => sqlx::query(sql).bind(run_id).bind(item_key).execute(pool).await.map(|_| ()))
}

pub async fn failed_items(
    db: &Db,
    run_id: &str,
    limit: i64,
) -> Result<Vec<FailedRecord>, sqlx::Error> {
    let sql = "SELECT item_key, userid, work_date, step, reason, message, attempts, retried_by \
               FROM sync_failed_items WHERE run_id = $1 ORDER BY work_date, userid, item_key \
               LIMIT $2";
    with_pool!(db, pool => sqlx::query_as::<_, FailedRecord>(sql).bind(run_id).bind(limit).fetch_all(pool).await)
}

pub async fn count_failed(db: &Db, run_id: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM sync_failed_items WHERE run_id = $1";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(run_id).fetch_one(pool).await)
}

/// Marks a run's failed items as taken over by a retry run.
pub async fn mark_retried(db: &Db, run_id: &str, retry_run: &str) -> Result<(), sqlx::Error> {
    let sql =
        "UPDATE sync_failed_items SET retried_by = $2 WHERE run_id = $1 AND retried_by IS NULL";
    with_pool!(db, pool => sqlx::query(sql).bind(run_id).bind(retry_run).execute(pool).await.map(|_| ()))
}

/// Scheduled runs of a pair that ended, newest first (for the failure streak).
pub async fn finished_scheduled_states(
    db: &Db,
    pair_id: &str,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT state FROM sync_runs WHERE pair_id = $1 AND run_trigger = 'schedule' \
               AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT $2";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(pair_id).bind(limit).fetch_all(pool).await)
}
