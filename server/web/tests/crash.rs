//! Exactly once, with real processes: the `hourbridge` binary works on a
//! 300-person month sync (DingTalk simulator → Redmine simulator, one
//! answer in twenty lost after the write) and is killed with SIGKILL at
//! random points, then started again, twenty times; at the end the target
//! holds exactly the computed worklogs — none missing, none twice. On
//! PostgreSQL, two instances share the queue: the one running the sync is
//! killed and the other finishes it.
//!
//! The test's own server (no workers) sets the company up through the
//! services; the children are the real binary on the same database.

mod support;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::NaiveDate;
use hourbridge_core::db::{sync_runs, worklog_ledger, Db};
use hourbridge_core::services::sync::{pairs, runs};
use hourbridge_core::services::{mappings, pm_connections, rules, Actor, Origin};
use hourbridge_dingtalk_sim::{CompanySpec, Simulator};
use hourbridge_domain::pm_connection::PmConnectionForm;
use hourbridge_domain::sync::{PairInput, RunState, StartRun};
use hourbridge_domain::{Role, UserId};
use hourbridge_pm_sim::redmine::{RedmineConfig, RedmineSim};
use hourbridge_rules::allocation::{AllocationPlan, Method, Percent, Share};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The master key of `Config::for_tests`: the children must open the
/// secrets the test's server sealed.
const MASTER_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn admin() -> Actor {
    Actor {
        id: UserId::new("admin-id"),
        username: "admin".into(),
        role: Role::Admin,
    }
}

fn company() -> CompanySpec {
    CompanySpec {
        people: 300,
        departments: 8,
        ..CompanySpec::default()
    }
}

struct Setup {
    _dingtalk: Simulator,
    redmine: RedmineSim,
    pm_id: String,
    pair_id: String,
    first: NaiveDate,
    last: NaiveDate,
    people: Vec<String>,
}

async fn setup(app: &support::TestApp) -> Setup {
    let (dingtalk, dingtalk_id) = support::connected_dingtalk(app, company()).await;
    let redmine = RedmineSim::start(RedmineConfig {
        company: company(),
        projects: 4,
        drop_after_write_ratio: 0.05,
        drop_after_write_seed: 11,
        ..RedmineConfig::default()
    })
    .await
    .expect("Redmine simulator");
    let origin = Origin::default();
    let pm = pm_connections::create(
        &app.state,
        &admin(),
        &origin,
        &PmConnectionForm {
            name: "Redmine".into(),
            kind: "redmine".into(),
            base_url: redmine.base_url(),
            secret: redmine.config().admin_key.clone(),
            external_id_field: redmine.config().custom_field_id.to_string(),
            ..PmConnectionForm::default()
        },
    )
    .await
    .expect("Redmine connection");
    pm_connections::sync_users(&app.state, Some(&admin()), &origin, &pm.id)
        .await
        .expect("Redmine users");
    let today = dingtalk.company().today();
    let last = today.pred_opt().expect("yesterday");
    let first = last - chrono::Duration::days(29);
    rules::start_from_seed_standard(
        &app.state.db,
        &admin(),
        &origin,
        NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
    )
    .await
    .expect("seed-standard");
    let issue = redmine
        .directory()
        .issues
        .iter()
        .find(|i| !i.status.is_closed)
        .expect("an open issue")
        .clone();
    // Each person's open issues (Redmine takes time only from members of
    // the issue's project).
    let plan = AllocationPlan {
        method: Method::OpenTasks,
        fallback: vec![Share {
            project: issue.project_id.to_string(),
            task: issue.id.to_string(),
            percent: Percent::WHOLE,
        }],
        ..AllocationPlan::default()
    };
    mappings::save_allocation(&app.state, &admin(), &origin, pm.id.as_str(), None, &plan)
        .await
        .expect("allocation");
    let pair = pairs::create(
        &app.state,
        &admin(),
        &origin,
        &PairInput {
            name: "总部 → Redmine".into(),
            dingtalk_connection_id: dingtalk_id.as_str().to_owned(),
            pm_connection_id: pm.id.as_str().to_owned(),
            pause_after_failures: 3,
            ..PairInput::default()
        },
    )
    .await
    .expect("pair");
    let people = dingtalk
        .company()
        .people()
        .iter()
        .map(|p| p.userid.clone())
        .collect();
    Setup {
        _dingtalk: dingtalk,
        redmine,
        pm_id: pm.id.as_str().to_owned(),
        pair_id: pair.id,
        first,
        last,
        people,
    }
}

/// One `hourbridge` process on the test's database.
struct Instance {
    child: Child,
}

impl Instance {
    fn start(db_url: &str, dir: &std::path::Path) -> Instance {
        let child = Command::new(env!("CARGO_BIN_EXE_hourbridge"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOURBRIDGE_DATABASE_URL", db_url)
            .env("HOURBRIDGE_BIND", "127.0.0.1:0")
            .env("HOURBRIDGE_MASTER_KEY", MASTER_KEY)
            .env("HOURBRIDGE_DATA_DIR", dir)
            .env("HOURBRIDGE_SITE_ROOT", dir)
            .env("HOURBRIDGE_LOG", "warn")
            .env("HOURBRIDGE_SYNC_WORKERS", "1")
            .env("HOURBRIDGE_SYNC_BATCH_PEOPLE", "25")
            .env("HOURBRIDGE_SYNC_LEASE_SECS", "3")
            .env("HOURBRIDGE_ARGON2_MEMORY_KIB", "1024")
            .env("HOURBRIDGE_ARGON2_ITERATIONS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the hourbridge binary starts");
        Instance { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn written(db: &Db) -> i64 {
    let sql = "SELECT COUNT(*) FROM worklog_ledger WHERE state = 'written'";
    hourbridge_core::with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await)
        .expect("count")
}

async fn run_state(app: &support::TestApp, id: &str) -> sync_runs::RunRecord {
    sync_runs::get(&app.state.db, id)
        .await
        .expect("read run")
        .expect("the run exists")
}

/// Waits (polling) until `done` holds for the run, or it has finished.
async fn until(
    app: &support::TestApp,
    id: &str,
    mut done: impl FnMut(&sync_runs::RunRecord, i64) -> bool,
) -> sync_runs::RunRecord {
    for _ in 0..6000 {
        let run = run_state(app, id).await;
        let count = written(&app.state.db).await;
        if done(&run, count) || RunState::parse(&run.state).is_some_and(RunState::is_finished) {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("run {id} made no progress for five minutes");
}

/// The target's entries by external id (minutes); no id twice.
fn held(redmine: &RedmineSim) -> BTreeMap<String, i64> {
    let field = redmine.config().custom_field_id;
    let mut out = BTreeMap::new();
    for e in redmine.time_entries() {
        let id = e
            .custom_fields
            .get(&field)
            .cloned()
            .expect("every entry HourBridge wrote carries its external id");
        let minutes = (e.hours * 60.0).round() as i64;
        assert!(
            out.insert(id.clone(), minutes).is_none(),
            "{id} written twice"
        );
    }
    out
}

/// The computed lines, but those the target refused (people who left:
/// Redmine takes no time for a locked user).
async fn expected(app: &support::TestApp, s: &Setup, run: &str) -> BTreeMap<String, i64> {
    let refused: Vec<sync_runs::FailedRecord> =
        sync_runs::failed_items(&app.state.db, run, i64::MAX)
            .await
            .expect("failed items");
    for f in &refused {
        assert_eq!(f.reason, "rejected", "{f:?}");
        assert!(f.message.contains("User is invalid"), "{f:?}");
    }
    worklog_ledger::lines_for(
        &app.state.db,
        &s.pm_id,
        &s.people,
        &s.first.to_string(),
        &s.last.to_string(),
    )
    .await
    .expect("lines")
    .into_iter()
    .filter(|l| !refused.iter().any(|f| f.item_key == l.external_id))
    .map(|l| (l.external_id, l.minutes))
    .collect()
}

async fn start_month(app: &support::TestApp, s: &Setup) -> String {
    runs::start(
        &app.state,
        &admin(),
        &Origin::default(),
        &StartRun {
            pair_id: s.pair_id.clone(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            ..StartRun::default()
        },
    )
    .await
    .expect("start")
    .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_sync_killed_twenty_times_writes_every_worklog_exactly_once() {
    let app = support::spawn_with(support::Backend::Sqlite, |c| c.sync.workers = 0)
        .await
        .expect("SQLite is always there");
    let s = setup(&app).await;
    let dir = std::env::temp_dir().join(format!("hourbridge-crash-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let id = start_month(&app, &s).await;
    let mut rng = StdRng::seed_from_u64(2026);
    let mut kills = 0;
    for trial in 1..=20 {
        let instance = Instance::start(&app.db.url, &dir);
        // Kill somewhere after this instance claimed the run: at once (in
        // the pull or the compute), or after a random number of writes.
        let claims = trial;
        let writes = if rng.gen_bool(0.25) {
            0
        } else {
            rng.gen_range(1..160)
        };
        let mut from = None;
        let run = until(&app, &id, |run, count| {
            if run.claims < claims
                || run
                    .lease_owner
                    .as_deref()
                    .is_none_or(|o| !o.contains(&format!("-pid{}-", instance.pid())))
            {
                return false;
            }
            let start = *from.get_or_insert(count);
            count >= start + writes
        })
        .await;
        instance.kill();
        kills += 1;
        if RunState::parse(&run.state).is_some_and(RunState::is_finished) {
            break;
        }
    }
    // The last instance finishes the run.
    let last = Instance::start(&app.db.url, &dir);
    let run = until(&app, &id, |_, _| false).await;
    last.kill();
    assert!(
        kills >= 10,
        "the run finished before it was killed often: {kills} kills"
    );
    assert!(
        matches!(run.state.as_str(), "succeeded" | "partially_succeeded"),
        "{run:?}"
    );
    assert!(run.claims > 10, "resumed after each kill: {run:?}");
    let want = expected(&app, &s, &id).await;
    assert!(
        want.len() > 3000,
        "a 300-person month: {} lines",
        want.len()
    );
    assert_eq!(
        held(&s.redmine),
        want,
        "0 duplicates, 0 missing, the right hours"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_one_killed_mid_run_the_other_finishes() {
    let Some(app) = support::spawn_with(support::Backend::Postgres, |c| c.sync.workers = 0).await
    else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant not run");
        return;
    };
    let s = setup(&app).await;
    let dir = std::env::temp_dir().join(format!("hourbridge-multi-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let one = Instance::start(&app.db.url, &dir);
    let two = Instance::start(&app.db.url, &dir);
    let id = start_month(&app, &s).await;
    // Whichever claims it, once it has written a little, is killed.
    let mut from = None;
    let run = until(&app, &id, |run, count| {
        run.lease_owner.is_some() && count >= *from.get_or_insert(count) + 200
    })
    .await;
    let owner = run.lease_owner.clone().expect("claimed");
    let (victim, survivor) = if owner.contains(&format!("-pid{}-", one.pid())) {
        (one, two)
    } else {
        (two, one)
    };
    assert!(owner.contains(&format!("-pid{}-", victim.pid())));
    victim.kill();
    let run = until(&app, &id, |_, _| false).await;
    assert!(
        matches!(run.state.as_str(), "succeeded" | "partially_succeeded"),
        "{run:?}"
    );
    assert_eq!(run.claims, 2, "taken over once, never run twice at a time");
    assert!(run
        .lease_owner
        .as_deref()
        .is_some_and(|o| o.contains(&format!("-pid{}-", survivor.pid()))));
    survivor.kill();
    assert_eq!(held(&s.redmine), expected(&app, &s, &id).await);
    let _ = std::fs::remove_dir_all(&dir);
}
