//! What each PM connection should hold (`worklog_lines`, as last
//! computed), what HourBridge wrote there (`worklog_ledger`), each run's
//! writes (`worklog_changes`), every person-day's hours (`day_hours`) and
//! hours set by hand (`hour_corrections`).
//!
//! Batches are read and replaced for a set of people over a date range;
//! the people are bound one placeholder each (a batch is ≤ a few hundred).

use super::Db;
use crate::with_pool;

/// A computed worklog line, or a ledger entry (with its state).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LineRecord {
    pub external_id: String,
    pub userid: String,
    pub work_date: String,
    pub pm_user: String,
    pub project: String,
    pub task: Option<String>,
    pub minutes: i64,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerRecord {
    pub external_id: String,
    pub userid: String,
    pub work_date: String,
    pub pm_user: String,
    pub project: String,
    pub task: Option<String>,
    pub minutes: i64,
    pub comment: String,
    /// `pending`, `written`, `deleted`.
    pub state: String,
    pub worklog_id: Option<String>,
    pub run_id: String,
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The computed lines of `people` over `first..=last`.
pub async fn lines_for(
    db: &Db,
    pm: &str,
    people: &[String],
    first: &str,
    last: &str,
) -> Result<Vec<LineRecord>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT external_id, userid, work_date, pm_user, project, task, minutes, comment \
         FROM worklog_lines WHERE pm_connection_id = $1 AND work_date >= $2 AND work_date <= $3 \
         AND userid IN ({}) ORDER BY external_id",
        placeholders(4, people.len())
    );
    with_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, LineRecord>(&sql).bind(pm).bind(first).bind(last);
        for p in people {
            q = q.bind(p);
        }
        q.fetch_all(pool).await
    })
}

/// Replaces the computed lines of `people` over `first..=last` with `lines`
/// (one transaction).
pub async fn replace_lines(
    db: &Db,
    pm: &str,
    people: &[String],
    first: &str,
    last: &str,
    lines: &[LineRecord],
    at: i64,
) -> Result<(), sqlx::Error> {
    if people.is_empty() {
        return Ok(());
    }
    let delete = format!(
        "DELETE FROM worklog_lines WHERE pm_connection_id = $1 AND work_date >= $2 \
         AND work_date <= $3 AND userid IN ({})",
        placeholders(4, people.len())
    );
    const CHUNK: usize = 200;
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let mut q = sqlx::query(&delete).bind(pm).bind(first).bind(last);
        for p in people {
            q = q.bind(p);
        }
        q.execute(&mut *tx).await?;
        for chunk in lines.chunks(CHUNK) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 10 + 1, 10)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO worklog_lines (pm_connection_id, external_id, userid, work_date, \
                 pm_user, project, task, minutes, comment, computed_at) VALUES {values}"
            );
            let mut q = sqlx::query(&sql);
            for l in chunk {
                q = q.bind(pm).bind(&l.external_id).bind(&l.userid).bind(&l.work_date)
                    .bind(&l.pm_user).bind(&l.project).bind(&l.task).bind(l.minutes)
                    .bind(&l.comment).bind(at);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// The ledger entries of `people` over `first..=last`.
pub async fn ledger_for(
    db: &Db,
    pm: &str,
    people: &[String],
    first: &str,
    last: &str,
) -> Result<Vec<LedgerRecord>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT external_id, userid, work_date, pm_user, project, task, minutes, comment, state, \
         worklog_id, run_id FROM worklog_ledger WHERE pm_connection_id = $1 AND work_date >= $2 \
         AND work_date <= $3 AND userid IN ({}) ORDER BY external_id",
        placeholders(4, people.len())
    );
    with_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, LedgerRecord>(&sql).bind(pm).bind(first).bind(last);
        for p in people {
            q = q.bind(p);
        }
        q.fetch_all(pool).await
    })
}

/// One ledger entry.
pub async fn ledger_entry(
    db: &Db,
    pm: &str,
    external_id: &str,
) -> Result<Option<LedgerRecord>, sqlx::Error> {
    let sql = "SELECT external_id, userid, work_date, pm_user, project, task, minutes, comment, \
               state, worklog_id, run_id FROM worklog_ledger \
               WHERE pm_connection_id = $1 AND external_id = $2";
    with_pool!(db, pool => sqlx::query_as::<_, LedgerRecord>(sql).bind(pm).bind(external_id)
        .fetch_optional(pool).await)
}

/// Writes a ledger entry (insert or replace).
pub async fn put_ledger(db: &Db, pm: &str, e: &LedgerRecord, at: i64) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO worklog_ledger (pm_connection_id, external_id, userid, work_date, \
               pm_user, project, task, minutes, comment, state, worklog_id, run_id, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
               ON CONFLICT (pm_connection_id, external_id) DO UPDATE SET \
               userid = excluded.userid, work_date = excluded.work_date, \
               pm_user = excluded.pm_user, project = excluded.project, task = excluded.task, \
               minutes = excluded.minutes, comment = excluded.comment, state = excluded.state, \
               worklog_id = excluded.worklog_id, run_id = excluded.run_id, \
               updated_at = excluded.updated_at";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(pm).bind(&e.external_id).bind(&e.userid).bind(&e.work_date).bind(&e.pm_user)
        .bind(&e.project).bind(&e.task).bind(e.minutes).bind(&e.comment).bind(&e.state)
        .bind(&e.worklog_id).bind(&e.run_id).bind(at)
        .execute(pool).await.map(|_| ()))
}

/// What a run changed on one worklog.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRecord {
    pub external_id: String,
    pub pm_connection_id: String,
    /// `created`, `updated`, `deleted`.
    pub change: String,
    /// The ledger entry before (JSON), for `updated` and `deleted`.
    pub before: Option<String>,
}

/// Records a run's change to a worklog; the first record of a run for an
/// external id is kept (what stood before the run is what rollback restores).
pub async fn record_change(db: &Db, run_id: &str, c: &ChangeRecord) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO worklog_changes (run_id, external_id, pm_connection_id, change, \
               before, at) VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (run_id, external_id) DO NOTHING";
    with_pool!(db, pool => sqlx::query(sql)
        .bind(run_id).bind(&c.external_id).bind(&c.pm_connection_id).bind(&c.change)
        .bind(&c.before).bind(crate::clock::now_ms())
        .execute(pool).await.map(|_| ()))
}

/// Every change a run made.
pub async fn changes_of(db: &Db, run_id: &str) -> Result<Vec<ChangeRecord>, sqlx::Error> {
    let sql = "SELECT external_id, pm_connection_id, change, before FROM worklog_changes \
               WHERE run_id = $1 ORDER BY external_id";
    with_pool!(db, pool => sqlx::query_as::<_, ChangeRecord>(sql).bind(run_id).fetch_all(pool).await)
}

pub async fn count_changes(db: &Db, run_id: &str) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM worklog_changes WHERE run_id = $1";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(run_id).fetch_one(pool).await)
}

/// A person-day's computed hours.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DayHoursRecord {
    pub userid: String,
    pub work_date: String,
    pub seconds: i64,
    pub status: String,
    pub rule: Option<String>,
    pub corrected: bool,
}

/// Stores the hours of a batch of person-days (insert or replace).
pub async fn put_day_hours(db: &Db, days: &[DayHoursRecord], at: i64) -> Result<(), sqlx::Error> {
    const CHUNK: usize = 300;
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        for chunk in days.chunks(CHUNK) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * 7 + 1, 7)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO day_hours (userid, work_date, seconds, status, rule, corrected, \
                 computed_at) VALUES {values} ON CONFLICT (userid, work_date) DO UPDATE SET \
                 seconds = excluded.seconds, status = excluded.status, rule = excluded.rule, \
                 corrected = excluded.corrected, computed_at = excluded.computed_at"
            );
            let mut q = sqlx::query(&sql);
            for d in chunk {
                q = q.bind(&d.userid).bind(&d.work_date).bind(d.seconds).bind(&d.status)
                    .bind(&d.rule).bind(d.corrected).bind(at);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// A correction in force.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CorrectionRecord {
    pub id: String,
    pub userid: String,
    pub work_date: String,
    pub seconds: i64,
    pub reason: String,
    pub made_by: String,
    pub made_at: i64,
}

/// The corrections in force for `people` over `first..=last`.
pub async fn corrections_for(
    db: &Db,
    people: &[String],
    first: &str,
    last: &str,
) -> Result<Vec<CorrectionRecord>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, userid, work_date, seconds, reason, made_by, made_at FROM hour_corrections \
         WHERE NOT superseded AND work_date >= $1 AND work_date <= $2 AND userid IN ({}) \
         ORDER BY work_date, userid",
        placeholders(3, people.len())
    );
    with_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, CorrectionRecord>(&sql).bind(first).bind(last);
        for p in people {
            q = q.bind(p);
        }
        q.fetch_all(pool).await
    })
}

/// Adds a correction, superseding the earlier one of the same day.
pub async fn add_correction(db: &Db, c: &CorrectionRecord) -> Result<(), sqlx::Error> {
    let supersede = "UPDATE hour_corrections SET superseded = TRUE WHERE userid = $1 \
                     AND work_date = $2 AND NOT superseded";
    let insert = "INSERT INTO hour_corrections (id, userid, work_date, seconds, reason, made_by, \
                  made_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(supersede).bind(&c.userid).bind(&c.work_date).execute(&mut *tx).await?;
        sqlx::query(insert).bind(&c.id).bind(&c.userid).bind(&c.work_date).bind(c.seconds)
            .bind(&c.reason).bind(&c.made_by).bind(c.made_at).execute(&mut *tx).await?;
        tx.commit().await
    })
}

/// The latest corrections, newest first.
pub async fn recent_corrections(db: &Db, limit: i64) -> Result<Vec<CorrectionRecord>, sqlx::Error> {
    let sql =
        "SELECT id, userid, work_date, seconds, reason, made_by, made_at FROM hour_corrections \
               WHERE NOT superseded ORDER BY made_at DESC, id DESC LIMIT $1";
    with_pool!(db, pool => sqlx::query_as::<_, CorrectionRecord>(sql).bind(limit).fetch_all(pool).await)
}

/// The computed hours of `people` over `first..=last`.
pub async fn day_hours_for(
    db: &Db,
    people: &[String],
    first: &str,
    last: &str,
) -> Result<Vec<DayHoursRecord>, sqlx::Error> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT userid, work_date, seconds, status, rule, corrected FROM day_hours \
         WHERE work_date >= $1 AND work_date <= $2 AND userid IN ({}) ORDER BY userid, work_date",
        placeholders(3, people.len())
    );
    with_pool!(db, pool => {
        let mut q = sqlx::query_as::<_, DayHoursRecord>(&sql).bind(first).bind(last);
        for p in people {
            q = q.bind(p);
        }
        q.fetch_all(pool).await
    })
}
