//! Sync runs end to end against the simulators, on both databases: a
//! backfill writes exactly the computed worklogs to Jira (each carrying its
//! external id), a second run writes nothing, a rule change updates them,
//! a rollback restores the target exactly; faults (5xx, 429 bursts, answers
//! lost after the write) end with the same worklogs as a fault-free run; a
//! worklog the target rejects fails only that item, and "retry failed"
//! finishes it; the queue hands a pair's runs to one worker at a time and
//! a lapsed lease is taken over.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use hourbridge_core::db::sync_pairs;
use hourbridge_core::db::sync_runs::{self, NewRun};
use hourbridge_core::db::worklog_ledger;
use hourbridge_core::services::sync::{corrections, pairs, recompute, reconcile, runs, worker};
use hourbridge_core::services::{mappings, pm_connections, rules, Actor, Origin};
use hourbridge_dingtalk_sim::{CompanySpec, Simulator};
use hourbridge_domain::pm_connection::PmConnectionForm;
use hourbridge_domain::sync::{
    CorrectionInput, FixRows, PairInput, ReconQuery, RunDetail, RunState, StartRun,
};
use hourbridge_domain::{Role, UserId};
use hourbridge_pm::{NewWorklog, WorklogQuery, WorklogRef};
use hourbridge_pm_sim::common::faults::{Fault, FaultScope};
use hourbridge_pm_sim::jira::{ApiAccount, JiraConfig, JiraSim};
use hourbridge_rules::allocation::{AllocationPlan, Method, Percent, Share};
use hourbridge_rules::rules::{Base, Outcome, Rule, Test};
use hourbridge_rules::{DayType, Hours};

fn admin() -> Actor {
    Actor {
        id: UserId::new("admin-id"),
        username: "admin".into(),
        role: Role::Admin,
    }
}

fn company() -> CompanySpec {
    CompanySpec {
        people: 12,
        departments: 2,
        ..CompanySpec::default()
    }
}

/// A DingTalk company and its Jira, connected, matched, with seed-standard
/// rules, an allocation to each person's open issues (else the first
/// issue), and a pair over everyone.
struct Setup {
    dingtalk: Simulator,
    jira: JiraSim,
    pm_id: String,
    pair_id: String,
    first: NaiveDate,
    last: NaiveDate,
}

async fn setup(app: &support::TestApp, jira_config: JiraConfig) -> Setup {
    let (dingtalk, dingtalk_id) = support::connected_dingtalk(app, company()).await;
    let jira = JiraSim::start(JiraConfig {
        company: company(),
        projects: 2,
        ..jira_config
    })
    .await
    .expect("Jira simulator");
    let origin = Origin::default();
    let account = ApiAccount::integration();
    let pm = pm_connections::create(
        &app.state,
        &admin(),
        &origin,
        &PmConnectionForm {
            name: "研发 Jira".into(),
            kind: "jira_cloud".into(),
            base_url: jira.base_url(),
            username: account.email.clone(),
            secret: account.api_token.clone(),
            ..PmConnectionForm::default()
        },
    )
    .await
    .expect("Jira connection");
    pm_connections::sync_users(&app.state, Some(&admin()), &origin, &pm.id)
        .await
        .expect("Jira users");
    let today = dingtalk.company().today();
    let last = today.pred_opt().expect("yesterday");
    let first = last - chrono::Duration::days(6);
    rules::start_from_seed_standard(
        &app.state.db,
        &admin(),
        &origin,
        NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
    )
    .await
    .expect("seed-standard");
    let fallback = jira
        .directory()
        .issues
        .first()
        .expect("an issue")
        .key
        .clone();
    let project = fallback.split('-').next().unwrap_or_default().to_owned();
    let plan = AllocationPlan {
        method: Method::OpenTasks,
        fallback: vec![Share {
            project,
            task: fallback,
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
            name: "总部 → 研发 Jira".into(),
            dingtalk_connection_id: dingtalk_id.as_str().to_owned(),
            pm_connection_id: pm.id.as_str().to_owned(),
            pause_after_failures: 3,
            ..PairInput::default()
        },
    )
    .await
    .expect("pair");
    Setup {
        dingtalk,
        jira,
        pm_id: pm.id.as_str().to_owned(),
        pair_id: pair.id,
        first,
        last,
    }
}

/// Waits (polling the database) until the run has finished.
async fn finished(app: &support::TestApp, id: &str) -> RunDetail {
    for _ in 0..1200 {
        let detail = runs::detail(&app.state, id).await.expect("run detail");
        if detail.run.state.is_finished() {
            return detail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} did not finish within two minutes");
}

async fn backfill(app: &support::TestApp, s: &Setup) -> RunDetail {
    let row = runs::start(
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
    .expect("start");
    finished(app, &row.id).await
}

/// The target's worklogs by external id: (seconds, issue).
fn held(jira: &JiraSim) -> BTreeMap<String, (u64, String)> {
    let mut out = BTreeMap::new();
    for w in jira.worklogs() {
        let id = w
            .properties
            .values()
            .find_map(|v| {
                v.get("externalId")
                    .and_then(|x| x.as_str())
                    .map(str::to_owned)
            })
            .or_else(|| {
                hourbridge_pm::ExternalId::find_in(&w.comment_text()).map(|e| e.as_str().to_owned())
            })
            .expect("every worklog HourBridge wrote carries its external id");
        let previous = out.insert(id.clone(), (w.time_spent_seconds, w.issue_key.clone()));
        assert!(previous.is_none(), "two worklogs carry {id}");
    }
    out
}

/// The computed lines: what the target should hold.
async fn expected(app: &support::TestApp, s: &Setup) -> BTreeMap<String, (u64, String)> {
    let people: Vec<String> = s
        .dingtalk
        .company()
        .people()
        .iter()
        .map(|p| p.userid.clone())
        .collect();
    worklog_ledger::lines_for(
        &app.state.db,
        &s.pm_id,
        &people,
        &s.first.to_string(),
        &s.last.to_string(),
    )
    .await
    .expect("lines")
    .into_iter()
    .map(|l| {
        let seconds = u64::try_from(l.minutes).expect("minutes") * 60;
        (l.external_id, (seconds, l.task.unwrap_or_default()))
    })
    .collect()
}

on_both_backends!(
    a_backfill_writes_exactly_the_computed_worklogs_and_can_be_rolled_back,
    |app| {
        let s = setup(&app, JiraConfig::default()).await;
        let run = backfill(&app, &s).await;
        assert_eq!(run.run.state, RunState::Succeeded, "{run:#?}");
        let want = expected(&app, &s).await;
        assert!(!want.is_empty(), "the week gives worklog lines");
        assert_eq!(held(&s.jira), want);
        assert_eq!(run.run.records_out, want.len() as i64);
        assert_eq!(run.run.percent(), 100);
        let steps: Vec<_> = run
            .steps
            .iter()
            .map(|s| (s.step.code(), s.status.as_str()))
            .collect();
        assert_eq!(
            steps,
            vec![("pull", "done"), ("compute", "done"), ("push", "done")]
        );

        // Nothing changed: a second run writes nothing.
        let again = backfill(&app, &s).await;
        assert_eq!(again.run.state, RunState::Succeeded);
        assert_eq!(again.run.records_out, 0, "{again:#?}");
        assert_eq!(held(&s.jira), want);

        // A rule giving every workday 3.5 h: the next run updates the worklogs.
        let mut book = rules::rule_book(&app.state.db)
            .await
            .expect("read")
            .expect("saved");
        book.doc.versions[0].rules.insert(
            0,
            Rule {
                id: "pilot".into(),
                name: "试点".into(),
                when: vec![Test::DayType {
                    any_of: vec![DayType::Workday, DayType::MakeupWorkday],
                }
                .into()],
                then: Some(Outcome::Hours {
                    base: Base::Fixed {
                        hours: Hours::parse_decimal("3.5").expect("hours"),
                    },
                    adjust: vec![],
                    status: None,
                }),
            },
        );
        rules::save_rule_book(
            &app.state.db,
            &admin(),
            &Origin::default(),
            Some(book.revision),
            &book.doc,
        )
        .await
        .expect("rules saved");
        let changed = backfill(&app, &s).await;
        assert_eq!(changed.run.state, RunState::Succeeded, "{changed:#?}");
        assert!(changed.run.records_out > 0);
        let after = held(&s.jira);
        assert_eq!(after, expected(&app, &s).await);
        assert_ne!(after, want);
        let mut per_day: BTreeMap<(String, String), u64> = BTreeMap::new();
        for (id, (seconds, _)) in &after {
            let mut parts = id.split(':');
            let (_, person, date) = (parts.next(), parts.next(), parts.next());
            *per_day
                .entry((person.unwrap_or("").into(), date.unwrap_or("").into()))
                .or_default() += seconds;
        }
        assert!(
            per_day.values().any(|s| *s == 3 * 3600 + 1800),
            "workdays now hold 3.5 h: {per_day:?}"
        );

        // Rolling that run back restores the target exactly and pauses the pair.
        let rollback = runs::roll_back(&app.state, &admin(), &Origin::default(), &changed.run.id)
            .await
            .expect("rollback queued");
        let rolled = finished(&app, &rollback.id).await;
        assert_eq!(rolled.run.state, RunState::Succeeded, "{rolled:#?}");
        assert_eq!(held(&s.jira), want);
        let pair = pairs::get(&app.state, &s.pair_id).await.expect("pair");
        assert!(pair.paused_reason.is_some());
        // A rollback is not rolled back.
        assert!(!rolled.can_roll_back);
    }
);

on_both_backends!(
    faults_on_both_sides_end_with_the_same_worklogs_as_a_clean_run,
    |app| {
        let s = setup(
            &app,
            JiraConfig {
                // One write answer in ten is lost after the write committed.
                drop_after_write_ratio: 0.1,
                drop_after_write_seed: 7,
                ..JiraConfig::default()
            },
        )
        .await;
        s.jira.faults().inject(
            Fault::ServerError(503),
            FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 4),
        );
        s.jira.faults().inject(
            Fault::TooManyRequests {
                retry_after_secs: 1,
            },
            FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 3),
        );
        // DingTalk: a QPS burst, server errors, and the token revoked mid-pull.
        use hourbridge_dingtalk_sim::faults::{
            Fault as DingTalkFault, FaultScope as DingTalkScope,
        };
        let dingtalk = s.dingtalk.faults();
        dingtalk.inject(
            DingTalkFault::Throttle,
            DingTalkScope::path("/attendance/list", 3),
        );
        dingtalk.inject(DingTalkFault::ServerError(502), DingTalkScope::any(2));
        dingtalk.inject(
            DingTalkFault::RevokeTokenNow,
            DingTalkScope::path("/attendance/list", 1),
        );
        let run = backfill(&app, &s).await;
        assert_eq!(run.run.state, RunState::Succeeded, "{run:#?}");
        assert_eq!(held(&s.jira), expected(&app, &s).await);
        assert_eq!(s.jira.faults().pending(), 0, "every Jira fault was met");
        assert_eq!(
            s.dingtalk.faults().pending(),
            0,
            "every DingTalk fault was met"
        );
    }
);

on_both_backends!(
    a_rejected_worklog_fails_only_its_item_and_retry_failed_finishes_it,
    |app| {
        let s = setup(&app, JiraConfig::default()).await;
        s.jira.faults().inject(
            Fault::ServerError(400),
            FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 1),
        );
        let run = backfill(&app, &s).await;
        assert_eq!(run.run.state, RunState::PartiallySucceeded, "{run:#?}");
        assert_eq!(run.failed_items.len(), 1, "{:#?}", run.failed_items);
        let item = &run.failed_items[0];
        assert_eq!(item.reason, "rejected");
        assert!(item.message.contains("Jira"), "{item:?}");
        assert!(!item.person_name.is_empty());
        let want = expected(&app, &s).await;
        assert_eq!(held(&s.jira).len(), want.len() - 1);
        assert!(run.can_retry_failed);

        let retry = runs::retry_failed(&app.state, &admin(), &Origin::default(), &run.run.id)
            .await
            .expect("retry queued");
        let retried = finished(&app, &retry.id).await;
        assert_eq!(retried.run.state, RunState::Succeeded, "{retried:#?}");
        assert_eq!(held(&s.jira), want);
        let before = runs::detail(&app.state, &run.run.id).await.expect("detail");
        assert_eq!(
            before.failed_items[0].retried_by.as_deref(),
            Some(retry.id.as_str())
        );
        assert!(!before.can_retry_failed);
    }
);

on_both_backends!(bad_run_input_is_refused_and_queues_nothing, |app| {
    let s = setup(&app, JiraConfig::default()).await;
    let refused = runs::start(
        &app.state,
        &admin(),
        &Origin::default(),
        &StartRun {
            pair_id: s.pair_id.clone(),
            first: s.last.to_string(),
            last: s.first.to_string(),
            ..StartRun::default()
        },
    )
    .await;
    match refused {
        Err(hourbridge_core::CoreError::Invalid(fields)) => {
            assert_eq!(fields[0].field, "last");
        }
        other => panic!("expected a field error, got {other:?}"),
    }
    let unknown = runs::start(
        &app.state,
        &admin(),
        &Origin::default(),
        &StartRun {
            pair_id: s.pair_id.clone(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            people: vec!["nobody-at-all".into()],
            ..StartRun::default()
        },
    )
    .await;
    assert!(matches!(
        unknown,
        Err(hourbridge_core::CoreError::Invalid(_))
    ));
    let bad_cron = pairs::update(
        &app.state,
        &admin(),
        &Origin::default(),
        &s.pair_id,
        &PairInput {
            name: "x".into(),
            dingtalk_connection_id: "nope".into(),
            pm_connection_id: s.pm_id.clone(),
            triggers: vec![hourbridge_domain::sync::TriggerView {
                cron: "every hour".into(),
                days_back: 2,
            }],
            pause_after_failures: 3,
            ..PairInput::default()
        },
    )
    .await;
    match bad_cron {
        Err(hourbridge_core::CoreError::Invalid(fields)) => {
            let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(names, vec!["dingtalk_connection_id", "triggers.0.cron"]);
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    let page = runs::page(&app.state, &Default::default())
        .await
        .expect("runs");
    assert_eq!(page.total, 0);
    let pair = pairs::get(&app.state, &s.pair_id).await.expect("pair");
    assert_eq!(
        pair.name, "总部 → 研发 Jira",
        "the refused edit changed nothing"
    );
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_runs_one_run_per_pair_and_takes_over_a_lapsed_lease_sqlite() {
    queue_hands_out_runs(support::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_runs_one_run_per_pair_and_takes_over_a_lapsed_lease_postgres() {
    queue_hands_out_runs(support::Backend::Postgres).await;
}

async fn queue_hands_out_runs(backend: support::Backend) {
    // No worker of its own: the test claims runs by hand, as two instances would.
    let Some(app) = support::spawn_with(backend, |c| c.sync.workers = 0).await else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant not run");
        return;
    };
    {
        let s = setup(&app, JiraConfig::default()).await;
        let db = &app.state.db;
        for id in ["run-a", "run-b"] {
            sync_runs::enqueue(
                db,
                &NewRun {
                    id,
                    pair_id: &s.pair_id,
                    kind: "sync",
                    trigger: "manual",
                    first_day: "2026-11-02",
                    last_day: "2026-11-02",
                    scope: "{}",
                    target_run_id: None,
                    requested_by: None,
                    queued_at: 1,
                },
            )
            .await
            .expect("queued");
        }
        let now = 10_000_000_000_000;
        let first = sync_runs::claim(db, "one", now, now + 30_000)
            .await
            .expect("claim");
        let first = first.expect("the oldest run is claimed");
        let second = sync_runs::claim(db, "two", now, now + 30_000)
            .await
            .expect("claim");
        assert!(second.is_none(), "the pair is busy: {second:?}");
        assert!(sync_runs::renew(db, &first.id, "one", now + 60_000)
            .await
            .expect("renew"));
        assert!(!sync_runs::renew(db, &first.id, "two", now + 60_000)
            .await
            .expect("renew"));
        // Instance one dies: once its lease lapses, two takes the run over.
        let later = now + 61_000;
        let taken = sync_runs::claim(db, "two", later, later + 30_000)
            .await
            .expect("claim")
            .expect("the lapsed run is taken over");
        assert_eq!(taken.id, first.id);
        assert_eq!(taken.claims, 2);
        assert!(!sync_runs::renew(db, &first.id, "one", later)
            .await
            .expect("renew"));
        let progress = sync_runs::Progress::default();
        assert!(
            !sync_runs::checkpoint(db, &first.id, "one", "{}", &progress)
                .await
                .expect("checkpoint")
        );
        assert!(
            sync_runs::finish(db, &first.id, "two", "cancelled", None, later)
                .await
                .expect("finish")
        );
        let next = sync_runs::claim(db, "one", later, later + 30_000)
            .await
            .expect("claim")
            .expect("the next run of the pair");
        assert_eq!(next.id, "run-b");
    }
}

on_both_backends!(
    hand_edits_on_the_target_show_in_reconciliation_and_a_fix_restores_them,
    |app| {
        let s = setup(&app, JiraConfig::default()).await;
        let run = backfill(&app, &s).await;
        assert_eq!(run.run.state, RunState::Succeeded, "{run:#?}");
        let want = expected(&app, &s).await;
        let query = ReconQuery {
            pair_id: s.pair_id.clone(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            ..ReconQuery::default()
        };
        let clean = reconcile::report(&app.state, &query).await.expect("report");
        assert!(clean.compared > 0);
        assert!(clean.rows.is_empty(), "{:#?}", clean.rows);

        // Someone deletes one worklog, changes another and copies a third
        // in Jira by hand.
        let jira = pm_connections::target(&app.state, &s.pm_id)
            .await
            .expect("connector");
        let written = jira
            .worklogs(&WorklogQuery {
                first: s.first,
                last: s.last,
                people: vec![],
                items: vec![],
            })
            .await
            .expect("worklogs");
        assert_eq!(written.len(), want.len());
        let (gone, changed, copied) = (&written[0], &written[1], &written[2]);
        jira.delete_worklog(&WorklogRef::from(gone))
            .await
            .expect("delete");
        let mut edit = NewWorklog {
            person: String::new(),
            item: changed.item.clone(),
            date: changed.date,
            minutes: changed.minutes + 60,
            comment: changed.comment.clone(),
            external_id: changed.external_id.clone().expect("ours"),
        };
        jira.update_worklog(&WorklogRef::from(changed), &edit)
            .await
            .expect("edit");
        edit.item = copied.item.clone();
        edit.date = copied.date;
        edit.minutes = copied.minutes;
        edit.external_id = copied.external_id.clone().expect("ours");
        jira.create_worklog(&edit).await.expect("copy");

        let found = reconcile::report(&app.state, &query).await.expect("report");
        let codes: Vec<&str> = found
            .rows
            .iter()
            .flat_map(|r| r.findings.iter().map(String::as_str))
            .collect();
        for code in ["missing", "different", "duplicated"] {
            assert!(codes.contains(&code), "{code} in {:#?}", found.rows);
        }
        let csv = String::from_utf8(reconcile::csv(&found).expect("csv")).expect("utf-8");
        assert!(csv
            .trim_start_matches('\u{feff}')
            .starts_with("userid,name,date,"));
        assert_eq!(csv.lines().count(), found.rows.len() + 1);

        // Fix the rows: the target is read back, then pushed again.
        let rows = found
            .rows
            .iter()
            .map(|r| (r.userid.clone(), r.date.clone()))
            .collect();
        let fix = reconcile::fix(
            &app.state,
            &admin(),
            &Origin::default(),
            &FixRows {
                pair_id: s.pair_id.clone(),
                rows,
            },
        )
        .await
        .expect("fix queued");
        let fixed = finished(&app, &fix.id).await;
        assert_eq!(fixed.run.state, RunState::Succeeded, "{fixed:#?}");
        let steps: Vec<_> = fixed.steps.iter().map(|s| s.step.code()).collect();
        assert_eq!(steps, vec!["reconcile", "push"]);
        assert_eq!(held(&s.jira), want);
        let after = reconcile::report(&app.state, &query).await.expect("report");
        assert!(after.rows.is_empty(), "{:#?}", after.rows);
    }
);

on_both_backends!(
    a_correction_wins_over_the_rules_is_pushed_and_audited,
    |app| {
        let s = setup(&app, JiraConfig::default()).await;
        backfill(&app, &s).await;
        let want = expected(&app, &s).await;
        // A workday with hours of someone in the pair.
        let (id, _) = want.iter().next().expect("a line");
        let mut parts = id.split(':').skip(1);
        let (userid, date) = (
            parts.next().expect("userid").to_owned(),
            parts.next().expect("date").to_owned(),
        );
        let refused = corrections::add(
            &app.state,
            &admin(),
            &Origin::default(),
            &CorrectionInput {
                person: userid.clone(),
                date: date.clone(),
                hours: "25".into(),
                reason: " ".into(),
            },
        )
        .await;
        match refused {
            Err(hourbridge_core::CoreError::Invalid(fields)) => {
                let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(names, vec!["hours", "reason"]);
            }
            other => panic!("expected field errors, got {other:?}"),
        }
        let saved = corrections::add(
            &app.state,
            &admin(),
            &Origin::default(),
            &CorrectionInput {
                person: userid.clone(),
                date: date.clone(),
                hours: "2.5".into(),
                reason: "客户现场，忘记打卡".into(),
            },
        )
        .await
        .expect("corrected");
        assert_eq!(saved.runs.len(), 1);
        let run = finished(&app, &saved.runs[0]).await;
        assert_eq!(run.run.state, RunState::Succeeded, "{run:#?}");
        assert_eq!(
            run.run.trigger,
            hourbridge_domain::sync::RunTrigger::Correction
        );
        let day: u64 = held(&s.jira)
            .iter()
            .filter(|(k, _)| k.contains(&format!(":{userid}:{date}:")))
            .map(|(_, (seconds, _))| seconds)
            .sum();
        assert_eq!(day, 9000, "2.5 h on the target for {userid} {date}");
        // Later runs keep the correction.
        let again = backfill(&app, &s).await;
        assert_eq!(again.run.records_out, 0, "{again:#?}");
        let listed = corrections::recent(&app.state, 10).await.expect("list");
        assert_eq!(listed[0].hours, "2.5");
        assert_eq!(listed[0].made_by, "admin");
        let audit = hourbridge_core::services::audit::page(
            &app.state.db,
            Some(hourbridge_domain::audit::AuditAction::HoursCorrected),
            0,
        )
        .await
        .expect("audit");
        assert_eq!(audit.entries.len(), 1);
    }
);

on_both_backends!(
    saving_rules_recomputes_from_the_changed_version_and_pushes,
    |app| {
        let s = setup(&app, JiraConfig::default()).await;
        backfill(&app, &s).await;
        let before = held(&s.jira);
        let mut book = rules::rule_book(&app.state.db)
            .await
            .expect("read")
            .expect("saved");
        // A new version from the week's Thursday: a flat 6 h workday.
        let mut version = book.doc.versions[0].clone();
        version.effective_from = s.first + chrono::Duration::days(3);
        version.rules.insert(
            0,
            Rule {
                id: "flat".into(),
                name: "六小时".into(),
                when: vec![Test::DayType {
                    any_of: vec![DayType::Workday, DayType::MakeupWorkday],
                }
                .into()],
                then: Some(Outcome::Hours {
                    base: Base::Fixed {
                        hours: Hours::parse_decimal("6").expect("hours"),
                    },
                    adjust: vec![],
                    status: None,
                }),
            },
        );
        book.doc.versions.push(version.clone());
        let (_, runs) = recompute::save_rules(
            &app.state,
            &admin(),
            &Origin::default(),
            Some(book.revision),
            &book.doc,
        )
        .await
        .expect("saved");
        assert_eq!(runs.len(), 1);
        let run = finished(&app, &runs[0]).await;
        assert_eq!(run.run.state, RunState::Succeeded, "{run:#?}");
        assert_eq!(run.run.first_day, version.effective_from.to_string());
        let steps: Vec<_> = run.steps.iter().map(|s| s.step.code()).collect();
        assert_eq!(steps, vec!["compute", "push"], "no pull for a rule change");
        let after = held(&s.jira);
        assert_eq!(after, expected(&app, &s).await);
        // Days before the new version are untouched.
        let cutoff = version.effective_from.to_string();
        let early = |m: &BTreeMap<String, (u64, String)>| -> BTreeMap<String, (u64, String)> {
            m.iter()
                .filter(|(k, _)| k.split(':').nth(2).is_some_and(|d| d < cutoff.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        assert_eq!(early(&after), early(&before));
        assert_ne!(after, before);
    }
);

on_both_backends!(
    the_schedule_queues_due_triggers_once_and_failing_runs_pause_the_pair,
    |app| {
        // Workers run in this app: the queued runs execute.
        let s = setup(&app, JiraConfig::default()).await;
        let pair = sync_pairs::get(&app.state.db, &s.pair_id)
            .await
            .expect("read")
            .expect("pair");
        let created = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(
            pair.last_scheduled_at
                .expect("scheduling starts at creation"),
        )
        .expect("time");
        // Nothing is due at creation; an hour later the hourly trigger is.
        assert_eq!(
            worker::schedule_due(&app.state, created)
                .await
                .expect("tick"),
            0
        );
        let later = created + chrono::Duration::minutes(61);
        assert_eq!(
            worker::schedule_due(&app.state, later).await.expect("tick"),
            1
        );
        // A second instance ticking at the same moment queues nothing more.
        assert_eq!(
            worker::schedule_due(&app.state, later).await.expect("tick"),
            0
        );
        let page = runs::page(&app.state, &Default::default())
            .await
            .expect("runs");
        assert_eq!(page.total, 1);
        let scheduled = &page.runs[0];
        assert_eq!(
            scheduled.trigger,
            hourbridge_domain::sync::RunTrigger::Schedule
        );
        let days = NaiveDate::parse_from_str(&scheduled.last_day, "%Y-%m-%d").expect("date")
            - NaiveDate::parse_from_str(&scheduled.first_day, "%Y-%m-%d").expect("date");
        assert_eq!(days.num_days(), 1, "today and yesterday: {scheduled:?}");
        let first = finished(&app, &scheduled.id).await;
        assert!(first.run.state.is_finished());

        // Jira stops accepting the credentials: each scheduled run fails,
        // and the third in a row pauses the pair.
        let form = hourbridge_domain::pm_connection::PmConnectionForm {
            name: "研发 Jira".into(),
            kind: "jira_cloud".into(),
            base_url: s.jira.base_url(),
            username: ApiAccount::integration().email,
            secret: "revoked-token".into(),
            ..Default::default()
        };
        pm_connections::update(
            &app.state,
            &admin(),
            &Origin::default(),
            &hourbridge_domain::ConnectionId::new(s.pm_id.clone()),
            &form,
        )
        .await
        .expect("credentials changed");
        let record = pairs::get_record(&app.state.db, &s.pair_id)
            .await
            .expect("pair");
        for n in 1..=3 {
            let run = runs::enqueue(
                &app.state,
                runs::Request {
                    pair: &record,
                    kind: hourbridge_domain::sync::RunKind::Sync,
                    trigger: hourbridge_domain::sync::RunTrigger::Schedule,
                    first: s.first,
                    last: s.last,
                    scope: runs::RunScope::default(),
                    target_run: None,
                    requested_by: None,
                },
            )
            .await
            .expect("queued");
            let ended = finished(&app, &run.id).await;
            assert_eq!(ended.run.state, RunState::Failed, "{ended:#?}");
            assert!(
                ended
                    .run
                    .error
                    .as_deref()
                    .is_some_and(|e| e.contains("credentials")),
                "{:?}",
                ended.run.error
            );
            let pair = pairs::get(&app.state, &s.pair_id).await.expect("pair");
            assert_eq!(pair.failure_streak, n);
            assert_eq!(pair.paused_reason.is_some(), n == 3, "{pair:?}");
        }
        // Paused: the schedule queues nothing.
        let much_later = later + chrono::Duration::hours(5);
        assert_eq!(
            worker::schedule_due(&app.state, much_later)
                .await
                .expect("tick"),
            0
        );
    }
);
