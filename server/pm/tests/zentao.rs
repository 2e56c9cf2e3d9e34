//! The ZenTao connector against the ZenTao simulator (versions 18 and 20):
//! recording effort under the connection's account or each person's own,
//! never finishing a task by logging attendance, retries that never
//! duplicate, expired tokens, paging, and each failure with its reason.
//!
//! ZenTao cannot edit or delete an effort over its API, so the round trip
//! here is create → find → list, with update and delete answered as
//! unsupported (and nothing changed), instead of `common::round_trip`.

// `common::round_trip` updates and deletes, which ZenTao cannot do over its
// API; the steps it can do are spelled out in the tests below.
#[allow(dead_code)]
mod common;

use chrono::NaiveDate;
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm::zentao::{RecordAs, Zentao, ZentaoConfig};
use hourbridge_pm::{
    write_once, ExternalId, ItemRef, NewWorklog, OnBehalfOf, PmError, Target, Task, UserQuery,
    WorklogQuery, WorklogRef,
};
use hourbridge_pm_sim::zentao::{
    person_password, Task as SimTask, ZentaoConfig as SimConfig, ZentaoSim, ZentaoVersion,
};
use hourbridge_pm_sim::{Fault, FaultScope};
use std::time::Duration;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

fn small(version: ZentaoVersion) -> SimConfig {
    SimConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 4,
        version,
        today: Some(day()),
        ..SimConfig::default()
    }
}

async fn simulator(config: SimConfig) -> ZentaoSim {
    ZentaoSim::start(config)
        .await
        .expect("the ZenTao simulator starts")
}

fn config(sim: &ZentaoSim, account: &str, password: &str) -> ZentaoConfig {
    let mut config = ZentaoConfig::new(&sim.base_url(), account, password);
    config.retry.base_delay = Duration::from_millis(10);
    config
}

fn integration(sim: &ZentaoSim) -> Zentao {
    let c = sim.config();
    Zentao::new(config(sim, &c.admin_account, &c.admin_password)).expect("connector")
}

/// The first open, assigned task (as the connector lists it) whose
/// simulated state passes `want`.
async fn open_task(sim: &ZentaoSim, zentao: &Zentao, want: impl Fn(&SimTask) -> bool) -> Task {
    for project in zentao.projects().await.expect("projects") {
        for task in zentao.open_tasks(&project).await.expect("tasks") {
            let id: u64 = task
                .item
                .task
                .as_deref()
                .and_then(|t| t.parse().ok())
                .expect("task id");
            let state = sim.task(id).expect("the simulator holds the task");
            if task.assignee.is_some() && want(&state) {
                return task;
            }
        }
    }
    panic!("no open task as wanted");
}

fn single(t: &SimTask) -> bool {
    t.team.is_empty()
}

fn worklog(task: &Task, minutes: u32) -> NewWorklog {
    let person = task.assignee.clone().expect("assigned");
    NewWorklog {
        external_id: ExternalId::new(&format!("dt-{person}"), day(), &task.item.id_part()),
        person,
        item: task.item.clone(),
        date: day(),
        minutes,
        comment: "出勤折算".into(),
    }
}

fn task_id(item: &ItemRef) -> u64 {
    item.task
        .as_deref()
        .and_then(|t| t.parse().ok())
        .expect("task id")
}

#[tokio::test]
async fn connection_account_records_and_names_the_person() {
    for version in [ZentaoVersion::V18, ZentaoVersion::V20] {
        let sim = simulator(small(version)).await;
        let zentao = integration(&sim);
        assert_eq!(zentao.capabilities().on_behalf_of, OnBehalfOf::AccountOnly);
        let report = zentao.test().await.expect("test");
        assert_eq!(report.account, "hourbridge");
        assert_eq!(report.projects.len(), 4);
        assert_eq!(report.projects[0].key, "erp", "the project's code");

        let task = open_task(&sim, &zentao, single).await;
        let w = worklog(&task, 450);
        let written = zentao.create_worklog(&w).await.expect("created");
        assert_eq!(written.person.as_deref(), Some("hourbridge"), "{version:?}");
        assert_eq!(written.minutes, 450);
        assert_eq!(written.external_id.as_ref(), Some(&w.external_id));
        assert!(
            written.comment.contains(&format!("(for {})", w.person)),
            "{}",
            written.comment
        );

        let held = sim.efforts();
        assert_eq!(held.len(), 1);
        assert_eq!(
            (held[0].account.as_str(), held[0].consumed),
            ("hourbridge", 7.5)
        );
        assert_eq!(held[0].id.to_string(), written.id);

        let found = zentao
            .find_worklog(&w.item, w.date, &w.external_id)
            .await
            .expect("find")
            .expect("found by its marker");
        assert_eq!(found.id, written.id);

        // Reconciling for the person finds the hours recorded in their name.
        let listed = zentao
            .worklogs(&WorklogQuery {
                first: day(),
                last: day(),
                people: vec![w.person.clone()],
                items: vec![w.item.clone()],
            })
            .await
            .expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, written.id);

        let existing = WorklogRef::from(&written);
        let update = zentao
            .update_worklog(&existing, &w)
            .await
            .expect_err("no edit");
        let delete = zentao
            .delete_worklog(&existing)
            .await
            .expect_err("no delete");
        assert_eq!(
            (update.reason(), delete.reason()),
            ("unsupported", "unsupported")
        );
        assert!(delete.to_string().contains("web page"), "{delete}");
        assert_eq!(sim.efforts().len(), 1, "nothing changed");
    }
}

#[tokio::test]
async fn personal_accounts_record_the_hours_as_the_person() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let probe = integration(&sim);
    let task = open_task(&sim, &probe, |t| !t.team.is_empty()).await;
    let person = task.assignee.clone().expect("assigned");

    let mut c = config(&sim, "hourbridge", &sim.config().admin_password);
    c.record_as = RecordAs::PersonalAccount;
    let without = Zentao::new(c.clone()).expect("connector");
    let error = without
        .create_worklog(&worklog(&task, 60))
        .await
        .expect_err("no password");
    assert!(
        matches!(&error, PmError::Unsupported { what, .. } if what.contains(&person) && what.contains("personal passwords")),
        "{error}"
    );

    c.personal_passwords
        .insert(person.clone(), person_password(&person));
    let zentao = Zentao::new(c).expect("connector");
    assert_eq!(
        zentao.capabilities().on_behalf_of,
        OnBehalfOf::PersonalCredentials
    );
    // A multi-person task accepts its team members.
    let w = worklog(&task, 240);
    let written = zentao.create_worklog(&w).await.expect("created");
    assert_eq!(written.person.as_deref(), Some(person.as_str()));
    assert!(!written.comment.contains("(for "), "{}", written.comment);
    let held = sim.efforts();
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0].account, person,
        "ZenTao's reports show the person's hours"
    );
    assert_eq!(sim.logins(&person), 1);
}

#[tokio::test]
async fn a_multi_person_task_refuses_the_connection_account() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let zentao = integration(&sim);
    let task = open_task(&sim, &zentao, |t| !t.team.is_empty()).await;
    let error = zentao
        .create_worklog(&worklog(&task, 60))
        .await
        .expect_err("not in the team");
    assert!(
        matches!(&error, PmError::Rejected { status: 400, message, .. } if message.contains("团队成员")),
        "ZenTao's words: {error}"
    );
    assert!(sim.efforts().is_empty());
}

#[tokio::test]
async fn logging_attendance_never_finishes_a_task() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let zentao = integration(&sim);

    let roomy = open_task(&sim, &zentao, |t| single(t) && t.left >= 16.0).await;
    let before = sim.task(task_id(&roomy.item)).expect("task");
    zentao
        .create_worklog(&worklog(&roomy, 450))
        .await
        .expect("created");
    let after = sim.task(task_id(&roomy.item)).expect("task");
    assert_eq!(
        after.left,
        before.left - 7.5,
        "the hours come off the remaining ones"
    );
    assert_eq!(after.consumed, before.consumed + 7.5);
    assert_eq!(after.status, "doing");

    let tight = open_task(&sim, &zentao, |t| single(t) && t.left > 0.0 && t.left < 7.5).await;
    let before = sim.task(task_id(&tight.item)).expect("task");
    zentao
        .create_worklog(&worklog(&tight, 450))
        .await
        .expect("created");
    let after = sim.task(task_id(&tight.item)).expect("task");
    assert_eq!(after.left, before.left, "kept rather than 0");
    assert_ne!(after.status, "done");

    let unestimated = open_task(&sim, &zentao, |t| single(t) && t.left == 0.0).await;
    zentao
        .create_worklog(&worklog(&unestimated, 450))
        .await
        .expect("created");
    let after = sim.task(task_id(&unestimated.item)).expect("task");
    assert!(after.left > 0.0, "never 0, which would finish it");
    assert_eq!(after.status, "doing");
}

#[tokio::test]
async fn a_lost_answer_does_not_duplicate_the_effort() {
    let sim = simulator(small(ZentaoVersion::V18)).await;
    let zentao = integration(&sim);
    let task = open_task(&sim, &zentao, single).await;
    let w = worklog(&task, 240);
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /tasks/{id}/estimate", 1),
    );
    let written = write_once(&zentao, &w, 3).await.expect("written once");
    assert_eq!(sim.efforts().len(), 1);
    assert_eq!(sim.stats().dropped_after_write, 1);
    assert_eq!(written.id, sim.efforts()[0].id.to_string());

    // A gateway error leaves the outcome unknown: looked for, then retried.
    let other = open_task(&sim, &zentao, |t| {
        single(t) && t.id.to_string() != written.item.task.clone().unwrap_or_default()
    })
    .await;
    sim.faults().inject(
        Fault::ServerError(502),
        FaultScope::path("POST /tasks/{id}/estimate", 1),
    );
    write_once(&zentao, &worklog(&other, 60), 3)
        .await
        .expect("written after the gateway error");
    assert_eq!(sim.efforts().len(), 2, "one each");
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_call_repeated() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let zentao = integration(&sim);
    let task = open_task(&sim, &zentao, single).await;
    assert_eq!(sim.logins("hourbridge"), 1, "one token serves every call");

    assert!(sim.expire_tokens() >= 1);
    zentao
        .create_worklog(&worklog(&task, 120))
        .await
        .expect("created after a new login");
    assert_eq!(sim.logins("hourbridge"), 2);
    assert_eq!(
        sim.efforts().len(),
        1,
        "the refused write was not carried out"
    );
    assert_eq!(sim.stats().unauthorized, 1);

    sim.expire_tokens();
    assert_eq!(zentao.projects().await.expect("projects").len(), 4);
    assert_eq!(sim.logins("hourbridge"), 3);
}

#[tokio::test]
async fn users_are_read_over_several_pages_and_found_exactly() {
    let sim = simulator(SimConfig {
        company: CompanySpec {
            people: 260,
            departments: 4,
            ..CompanySpec::default()
        },
        ..small(ZentaoVersion::V20)
    })
    .await;
    let zentao = integration(&sim);
    let users = zentao.users().await.expect("users");
    let live: Vec<_> = sim
        .directory()
        .users
        .iter()
        .filter(|u| !u.deleted)
        .collect();
    assert!(live.len() > 200, "three pages of 100: {}", live.len());
    assert_eq!(users.len(), live.len());
    assert_eq!(sim.stats().calls_to("GET /users"), 3);

    let person = sim
        .directory()
        .people()
        .find(|u| !u.deleted)
        .expect("a person");
    let mine = users
        .iter()
        .find(|u| u.id == person.account)
        .expect("listed");
    assert_eq!(
        mine.mobile.as_deref(),
        Some(person.mobile.as_str()),
        "the same mobile as DingTalk"
    );
    assert_eq!(mine.name, person.realname);

    let by_email = zentao
        .find_users(&UserQuery::Email(person.email.to_uppercase()))
        .await
        .expect("search");
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, person.account);
    let by_login = zentao
        .find_users(&UserQuery::Login(person.account.clone()))
        .await
        .expect("search");
    assert_eq!(by_login.len(), 1);
    let by_name = zentao
        .find_users(&UserQuery::Name(person.realname.clone()))
        .await
        .expect("search");
    assert!(!by_name.is_empty() && by_name.iter().all(|u| u.name == person.realname));
    let prefix: String = person.email.chars().take(4).collect();
    assert!(zentao
        .find_users(&UserQuery::Email(prefix))
        .await
        .expect("search")
        .is_empty());
    assert_eq!(
        sim.stats().calls_to("GET /users"),
        3,
        "lookups use the list just read"
    );
}

#[tokio::test]
async fn every_page_of_tasks_is_read() {
    let sim = simulator(SimConfig {
        projects: 1,
        executions_per_project: 2,
        tasks_per_execution: 130,
        ..small(ZentaoVersion::V18)
    })
    .await;
    let zentao = integration(&sim);
    let project = zentao.projects().await.expect("projects").remove(0);
    let tasks = zentao.open_tasks(&project).await.expect("tasks");
    let expected = sim
        .directory()
        .tasks
        .iter()
        .filter(|t| matches!(t.status, "wait" | "doing" | "pause"))
        .count();
    assert!(expected > 100, "more than one page: {expected}");
    assert_eq!(tasks.len(), expected);
    assert_eq!(
        sim.stats().calls_to("GET /executions/{id}/tasks"),
        4,
        "two pages each"
    );
    // ≤ 18 names the assignee as a plain account.
    let assigned = tasks.iter().filter_map(|t| t.assignee.as_deref()).count();
    assert!(assigned > 0);
}

#[tokio::test]
async fn reconciling_without_items_walks_every_task() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let zentao = integration(&sim);
    let first = open_task(&sim, &zentao, single).await;
    let second = open_task(&sim, &zentao, |t| {
        single(t) && t.project != first_project(&first)
    })
    .await;
    let a = zentao
        .create_worklog(&worklog(&first, 60))
        .await
        .expect("first");
    let b = zentao
        .create_worklog(&worklog(&second, 90))
        .await
        .expect("second");

    let everything = WorklogQuery {
        first: day(),
        last: day(),
        people: Vec::new(),
        items: Vec::new(),
    };
    let mut ids: Vec<String> = zentao
        .worklogs(&everything)
        .await
        .expect("listed")
        .into_iter()
        .map(|w| w.id)
        .collect();
    ids.sort();
    assert_eq!(ids, vec![a.id.clone(), b.id.clone()]);

    let theirs = zentao
        .worklogs(&WorklogQuery {
            people: vec![second.assignee.clone().expect("assigned")],
            ..everything.clone()
        })
        .await
        .expect("listed");
    assert_eq!(
        theirs.iter().map(|w| &w.id).collect::<Vec<_>>(),
        vec![&b.id]
    );

    let earlier = NaiveDate::from_ymd_opt(2026, 2, 1).expect("date");
    let before = WorklogQuery {
        first: earlier,
        last: earlier,
        ..everything.clone()
    };
    assert!(zentao.worklogs(&before).await.expect("listed").is_empty());

    // Deleted in ZenTao's web page: soft-deleted, no longer found or listed.
    assert!(sim.delete_effort(a.id.parse().expect("id")));
    let w = worklog(&first, 60);
    assert!(zentao
        .find_worklog(&w.item, w.date, &w.external_id)
        .await
        .expect("find")
        .is_none());
    let left: Vec<String> = zentao
        .worklogs(&everything)
        .await
        .expect("listed")
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(left, vec![b.id]);
}

fn first_project(task: &Task) -> u64 {
    task.item.project.parse().expect("project id")
}

#[tokio::test]
async fn wrong_passwords_are_not_retried_and_locks_are_explained() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let wrong = Zentao::new(config(&sim, "hourbridge", "not-the-password")).expect("connector");
    for _ in 0..3 {
        let error = wrong.projects().await.expect_err("refused");
        assert!(
            matches!(&error, PmError::Auth { message, .. } if message.contains("登录失败")),
            "{error}"
        );
    }
    assert_eq!(
        sim.failed_logins("hourbridge"),
        1,
        "one try, not one per call"
    );

    // Five more wrong tries (other connectors) lock the account.
    for _ in 0..5 {
        let _ = Zentao::new(config(&sim, "hourbridge", "still-wrong"))
            .expect("connector")
            .test()
            .await;
    }
    let right = integration(&sim);
    let error = right.test().await.expect_err("locked");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("分钟后重试")),
        "ZenTao's lock message: {error}"
    );
}

#[tokio::test]
async fn missing_privileges_say_which() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let c = sim.config();
    let observer =
        Zentao::new(config(&sim, &c.observer_account, &c.observer_password)).expect("connector");
    let error = observer.users().await.expect_err("no company-browse");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("company-browse")),
        "{error}"
    );
    let task = open_task(&sim, &observer, single).await;
    let error = observer
        .create_worklog(&worklog(&task, 60))
        .await
        .expect_err("no privilege");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("Access not allowed")),
        "{error}"
    );
}

#[tokio::test]
async fn failures_come_back_with_their_reason() {
    let sim = simulator(small(ZentaoVersion::V20)).await;
    let zentao = integration(&sim);
    let task = open_task(&sim, &zentao, single).await;

    let mut future = worklog(&task, 60);
    future.date = NaiveDate::from_ymd_opt(2026, 3, 3).expect("date");
    let error = zentao
        .create_worklog(&future)
        .await
        .expect_err("in the future");
    assert!(
        matches!(&error, PmError::Rejected { status: 400, message, .. } if message.contains("日期不能大于今天")),
        "ZenTao's own words: {error}"
    );

    let closed = sim
        .directory()
        .tasks
        .iter()
        .find(|t| t.status == "closed")
        .expect("a closed task");
    let mut on_closed = worklog(&task, 60);
    on_closed.item = ItemRef {
        project: closed.project.to_string(),
        task: Some(closed.id.to_string()),
    };
    let error = zentao.create_worklog(&on_closed).await.expect_err("closed");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("已关闭")),
        "{error}"
    );

    let mut missing = worklog(&task, 60);
    missing.item.task = Some("999999".into());
    let error = zentao
        .create_worklog(&missing)
        .await
        .expect_err("no such task");
    assert_eq!(error.reason(), "not_found", "{error}");

    let mut project_level = worklog(&task, 60);
    project_level.item.task = None;
    let error = zentao
        .create_worklog(&project_level)
        .await
        .expect_err("no task");
    assert_eq!(error.reason(), "unsupported", "{error}");
    assert!(sim.efforts().is_empty(), "nothing written");

    sim.faults()
        .inject(Fault::MalformedJson, FaultScope::path("GET /projects", 1));
    let error = zentao.projects().await.expect_err("garbled");
    assert!(
        matches!(&error, PmError::Malformed { path, .. } if path.starts_with("tasks")),
        "{error}"
    );

    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        FaultScope::path("GET /projects", 2),
    );
    assert_eq!(zentao.projects().await.expect("after the waits").len(), 4);

    let mut impatient = config(&sim, "hourbridge", &sim.config().admin_password);
    impatient.retry.max_retries = 0;
    impatient.timeout = Duration::from_millis(300);
    let impatient = Zentao::new(impatient).expect("connector");
    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 30,
        },
        FaultScope::path("GET /projects", 1),
    );
    let error = impatient.projects().await.expect_err("throttled");
    assert_eq!(error.reason(), "throttled", "{error}");
    sim.faults().inject(
        Fault::Slow(Duration::from_secs(3)),
        FaultScope::path("GET /projects", 1),
    );
    let error = impatient.projects().await.expect_err("too slow");
    assert_eq!(error.reason(), "timeout", "{error}");

    let mut nowhere = ZentaoConfig::new("http://127.0.0.1:9/zentao", "hourbridge", "x");
    nowhere.retry.base_delay = Duration::from_millis(10);
    nowhere.retry.max_retries = 1;
    let error = Zentao::new(nowhere)
        .expect("connector")
        .projects()
        .await
        .expect_err("nothing listens");
    assert_eq!(error.reason(), "unreachable", "{error}");
}

#[tokio::test]
async fn every_answer_dropped_still_writes_each_effort_once() {
    let sim = simulator(SimConfig {
        drop_after_write_ratio: 1.0,
        ..small(ZentaoVersion::V20)
    })
    .await;
    let zentao = integration(&sim);
    let task = open_task(&sim, &zentao, single).await;
    for (n, minutes) in [60, 90, 120].into_iter().enumerate() {
        let mut w = worklog(&task, minutes);
        w.external_id = ExternalId::new(&format!("dt-{n}"), day(), &task.item.id_part());
        let written = write_once(&zentao, &w, 3)
            .await
            .expect("found after the drop");
        assert_eq!(written.minutes, minutes);
    }
    assert_eq!(sim.efforts().len(), 3);
    assert_eq!(sim.stats().dropped_after_write, 3);
}
