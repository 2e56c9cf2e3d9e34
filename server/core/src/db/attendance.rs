//! Attendance as DingTalk reported it: `punch_results`, `leave_entries`,
//! `approval_forms`, and the log of pulls in `attendance_pulls`.

use super::Db;
use crate::with_pool;

#[derive(Debug, Clone, PartialEq)]
pub struct ResultRecord {
    pub result_id: i64,
    pub userid: String,
    pub work_date: String,
    pub check_type: String,
    pub time_result: String,
    pub location_result: Option<String>,
    pub source_type: Option<String>,
    pub base_check_time: Option<i64>,
    pub user_check_time: Option<i64>,
    pub plan_id: Option<i64>,
    pub group_id: Option<i64>,
    pub form_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaveRecord {
    pub userid: String,
    pub start_time: i64,
    pub end_time: i64,
    pub leave_code: String,
    pub duration_unit: Option<String>,
    pub duration_percent: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FormRecord {
    pub form_id: String,
    pub userid: String,
    pub biz_type: i64,
    pub tag_name: Option<String>,
    pub sub_type: Option<String>,
    pub duration: Option<f64>,
    pub duration_unit: Option<String>,
    pub begin_time: Option<String>,
    pub end_time: Option<String>,
    pub finished_at: Option<String>,
}

/// A person-day tied to an approval form, from the stored results.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FormDay {
    pub userid: String,
    pub work_date: String,
    pub form_id: String,
}

/// Rows per multi-row INSERT: 14 parameters a row stays well under both
/// engines' parameter limits.
const ROWS_PER_INSERT: usize = 500;

/// Replaces the results of `userids` over `first..=last` (dates) with
/// `results`, in one transaction: a result DingTalk no longer reports (a
/// corrected punch) disappears with the re-pull.
pub async fn replace_results(
    db: &Db,
    connection_id: &str,
    userids: &[String],
    first: &str,
    last: &str,
    results: &[ResultRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    if userids.is_empty() {
        return Ok(());
    }
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        let mut delete = sqlx::QueryBuilder::new("DELETE FROM punch_results WHERE connection_id = ");
        delete.push_bind(connection_id);
        delete.push(" AND work_date >= ").push_bind(first);
        delete.push(" AND work_date <= ").push_bind(last);
        delete.push(" AND userid IN (");
        let mut ids = delete.separated(", ");
        for id in userids {
            ids.push_bind(id);
        }
        delete.push(")");
        delete.build().execute(&mut *tx).await?;
        for chunk in results.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO punch_results (connection_id, result_id, userid, work_date, check_type, \
                 time_result, location_result, source_type, base_check_time, user_check_time, \
                 plan_id, group_id, form_id, pulled_at) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind(connection_id)
                    .push_bind(r.result_id)
                    .push_bind(&r.userid)
                    .push_bind(&r.work_date)
                    .push_bind(&r.check_type)
                    .push_bind(&r.time_result)
                    .push_bind(&r.location_result)
                    .push_bind(&r.source_type)
                    .push_bind(r.base_check_time)
                    .push_bind(r.user_check_time)
                    .push_bind(r.plan_id)
                    .push_bind(r.group_id)
                    .push_bind(&r.form_id)
                    .push_bind(now_ms);
            });
            // A result id reported in two windows (never in practice) keeps
            // the later copy instead of failing the pull.
            insert.push(
                " ON CONFLICT (connection_id, result_id) DO UPDATE SET userid = excluded.userid, \
                 work_date = excluded.work_date, check_type = excluded.check_type, \
                 time_result = excluded.time_result, location_result = excluded.location_result, \
                 source_type = excluded.source_type, base_check_time = excluded.base_check_time, \
                 user_check_time = excluded.user_check_time, plan_id = excluded.plan_id, \
                 group_id = excluded.group_id, form_id = excluded.form_id, pulled_at = excluded.pulled_at",
            );
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// Replaces the leave entries that start in `[from_ms, to_ms]` for the
/// people pulled, in one transaction (a revoked leave disappears).
pub async fn replace_leave(
    db: &Db,
    connection_id: &str,
    userids: &[String],
    from_ms: i64,
    to_ms: i64,
    entries: &[LeaveRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        for batch in userids.chunks(ROWS_PER_INSERT) {
            let mut delete = sqlx::QueryBuilder::new("DELETE FROM leave_entries WHERE connection_id = ");
            delete.push_bind(connection_id);
            delete.push(" AND start_time >= ").push_bind(from_ms);
            delete.push(" AND start_time <= ").push_bind(to_ms);
            delete.push(" AND userid IN (");
            let mut ids = delete.separated(", ");
            for id in batch {
                ids.push_bind(id);
            }
            delete.push(")");
            delete.build().execute(&mut *tx).await?;
        }
        for chunk in entries.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO leave_entries (connection_id, userid, start_time, end_time, leave_code, \
                 duration_unit, duration_percent, pulled_at) ",
            );
            insert.push_values(chunk, |mut row, e| {
                row.push_bind(connection_id)
                    .push_bind(&e.userid)
                    .push_bind(e.start_time)
                    .push_bind(e.end_time)
                    .push_bind(&e.leave_code)
                    .push_bind(&e.duration_unit)
                    .push_bind(e.duration_percent)
                    .push_bind(now_ms);
            });
            insert.push(
                " ON CONFLICT (connection_id, userid, start_time, leave_code) DO UPDATE SET \
                 end_time = excluded.end_time, duration_unit = excluded.duration_unit, \
                 duration_percent = excluded.duration_percent, pulled_at = excluded.pulled_at",
            );
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// Stores approval forms, the newest reading of each form winning.
pub async fn upsert_forms(
    db: &Db,
    connection_id: &str,
    forms: &[FormRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    if forms.is_empty() {
        return Ok(());
    }
    with_pool!(db, pool => {
        let mut tx = pool.begin().await?;
        for chunk in forms.chunks(ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO approval_forms (connection_id, form_id, userid, biz_type, tag_name, \
                 sub_type, duration, duration_unit, begin_time, end_time, finished_at, pulled_at) ",
            );
            insert.push_values(chunk, |mut row, f| {
                row.push_bind(connection_id)
                    .push_bind(&f.form_id)
                    .push_bind(&f.userid)
                    .push_bind(f.biz_type)
                    .push_bind(&f.tag_name)
                    .push_bind(&f.sub_type)
                    .push_bind(f.duration)
                    .push_bind(&f.duration_unit)
                    .push_bind(&f.begin_time)
                    .push_bind(&f.end_time)
                    .push_bind(&f.finished_at)
                    .push_bind(now_ms);
            });
            insert.push(
                " ON CONFLICT (connection_id, form_id) DO UPDATE SET userid = excluded.userid, \
                 biz_type = excluded.biz_type, tag_name = excluded.tag_name, \
                 sub_type = excluded.sub_type, duration = excluded.duration, \
                 duration_unit = excluded.duration_unit, begin_time = excluded.begin_time, \
                 end_time = excluded.end_time, finished_at = excluded.finished_at, \
                 pulled_at = excluded.pulled_at",
            );
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

/// Person-days in `first..=last` whose results are tied to a form.
pub async fn form_days(
    db: &Db,
    connection_id: &str,
    first: &str,
    last: &str,
) -> Result<Vec<FormDay>, sqlx::Error> {
    let sql = "SELECT DISTINCT userid, work_date, form_id FROM punch_results \
               WHERE connection_id = $1 AND work_date >= $2 AND work_date <= $3 \
               AND form_id IS NOT NULL ORDER BY userid, work_date";
    with_pool!(db, pool => sqlx::query_as::<_, FormDay>(sql).bind(connection_id).bind(first).bind(last).fetch_all(pool).await)
}

/// (results, leave entries, forms) stored for a connection.
pub async fn counts(db: &Db, connection_id: &str) -> Result<(i64, i64, i64), sqlx::Error> {
    let sql = "SELECT (SELECT COUNT(*) FROM punch_results WHERE connection_id = $1), \
               (SELECT COUNT(*) FROM leave_entries WHERE connection_id = $1), \
               (SELECT COUNT(*) FROM approval_forms WHERE connection_id = $1)";
    with_pool!(db, pool => sqlx::query_as::<_, (i64, i64, i64)>(sql).bind(connection_id).fetch_one(pool).await)
}

/// The people a pull covers: everyone active, and those who left on or
/// after `since_ms` (their last days still count).
pub async fn people_to_pull(
    db: &Db,
    connection_id: &str,
    since_ms: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT userid FROM people WHERE connection_id = $1 \
               AND (active OR (left_at IS NOT NULL AND left_at >= $2)) ORDER BY userid";
    with_pool!(db, pool => sqlx::query_scalar(sql).bind(connection_id).bind(since_ms).fetch_all(pool).await)
}

/// Removes the pull requests for person-days in `first..=last` that a pull
/// has now covered.
pub async fn clear_pull_requests(
    db: &Db,
    connection_id: &str,
    first: &str,
    last: &str,
    requested_before_ms: i64,
) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM dingtalk_pull_requests WHERE connection_id = $1 \
               AND work_date >= $2 AND work_date <= $3 AND requested_at <= $4";
    with_pool!(db, pool => sqlx::query(sql).bind(connection_id).bind(first).bind(last).bind(requested_before_ms)
        .execute(pool).await.map(|r| r.rows_affected()))
}

#[derive(Debug, Clone)]
pub struct PullLog {
    pub id: String,
    pub first_day: String,
    pub last_day: String,
    pub people: i64,
    pub started_at: i64,
}

pub async fn start_pull(db: &Db, connection_id: &str, log: &PullLog) -> Result<(), sqlx::Error> {
    let sql =
        "INSERT INTO attendance_pulls (id, connection_id, first_day, last_day, people, results, \
               leave_entries, forms, billable_calls, started_at, outcome) \
               VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, $6, 'running')";
    with_pool!(db, pool => sqlx::query(sql).bind(&log.id).bind(connection_id).bind(&log.first_day)
        .bind(&log.last_day).bind(log.people).bind(log.started_at).execute(pool).await.map(|_| ()))
}

#[derive(Debug, Clone)]
pub struct PullEnd<'a> {
    pub results: i64,
    pub leave_entries: i64,
    pub forms: i64,
    pub billable_calls: i64,
    pub finished_at: i64,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

pub async fn finish_pull(db: &Db, id: &str, end: &PullEnd<'_>) -> Result<(), sqlx::Error> {
    let sql = "UPDATE attendance_pulls SET results = $2, leave_entries = $3, forms = $4, \
               billable_calls = $5, finished_at = $6, outcome = $7, detail = $8 WHERE id = $1";
    with_pool!(db, pool => sqlx::query(sql).bind(id).bind(end.results).bind(end.leave_entries)
        .bind(end.forms).bind(end.billable_calls).bind(end.finished_at).bind(end.outcome)
        .bind(end.detail).execute(pool).await.map(|_| ()))
}

/// A pull as logged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PullRow {
    pub id: String,
    pub first_day: String,
    pub last_day: String,
    pub people: i64,
    pub results: i64,
    pub leave_entries: i64,
    pub forms: i64,
    pub billable_calls: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// The most recent pull of a connection.
pub async fn last_pull(db: &Db, connection_id: &str) -> Result<Option<PullRow>, sqlx::Error> {
    let sql =
        "SELECT id, first_day, last_day, people, results, leave_entries, forms, billable_calls, \
               started_at, finished_at, outcome, detail FROM attendance_pulls \
               WHERE connection_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1";
    with_pool!(db, pool => sqlx::query_as::<_, PullRow>(sql).bind(connection_id).fetch_optional(pool).await)
}

/// The stored punch results of one person over `first..=last` (dates), as
/// the rules read them.
pub async fn person_results(
    db: &Db,
    userid: &str,
    first: &str,
    last: &str,
) -> Result<Vec<StoredResult>, sqlx::Error> {
    let sql =
        "SELECT result_id, work_date, check_type, time_result, base_check_time, user_check_time \
               FROM punch_results WHERE userid = $1 AND work_date >= $2 AND work_date <= $3 \
               ORDER BY work_date, result_id";
    with_pool!(db, pool => sqlx::query_as::<_, StoredResult>(sql).bind(userid).bind(first).bind(last).fetch_all(pool).await)
}

/// A punch result as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredResult {
    pub result_id: i64,
    pub work_date: String,
    pub check_type: String,
    pub time_result: String,
    pub base_check_time: Option<i64>,
    pub user_check_time: Option<i64>,
}

/// One person's approval forms that may touch `first..=last`: begun on or
/// before the last day and ended (or begun, without an end) within a year
/// before the first.
pub async fn person_forms(
    db: &Db,
    userid: &str,
    first: &str,
    last_end: &str,
) -> Result<Vec<FormRecord>, sqlx::Error> {
    let sql = "SELECT form_id, userid, biz_type, tag_name, sub_type, duration, duration_unit, \
               begin_time, end_time, finished_at FROM approval_forms \
               WHERE userid = $1 AND begin_time <= $3 AND COALESCE(end_time, begin_time) >= $2 \
               ORDER BY begin_time, form_id";
    with_pool!(db, pool => sqlx::query_as::<_, FormRecord>(sql).bind(userid).bind(first).bind(last_end).fetch_all(pool).await)
}
