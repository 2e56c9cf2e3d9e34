//! The TAPD connector against the TAPD simulator: writing for the person
//! (`owner`), TAPD's one timesheet per item, day and owner (a retry becomes
//! an update, a hand-typed record is left alone), paging, reconciling over
//! lists TAPD would cut, throttling, and each failure with its reason.

mod common;

use chrono::{Duration as Days, NaiveDate};
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm::tapd::{Tapd, TapdConfig};
use hourbridge_pm::{
    write_once, ExternalId, ItemRef, NewWorklog, PmError, Target, UserQuery, WorklogQuery,
    WorklogRef,
};
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::tapd::{ApiAccount, TapdConfig as SimConfig, TapdSim, Timesheet};
use hourbridge_pm_sim::{Fault, FaultScope};
use std::time::Duration;

async fn simulator(config: SimConfig) -> TapdSim {
    TapdSim::start(config)
        .await
        .expect("the TAPD simulator starts")
}

fn small() -> SimConfig {
    SimConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 4,
        rate_limit: RateLimit::OFF,
        ..SimConfig::default()
    }
}

fn config(sim: &TapdSim, account: &ApiAccount) -> TapdConfig {
    let mut config = TapdConfig::new(
        &sim.base_url(),
        &account.api_user,
        &account.api_password,
        &sim.config().company_id,
    );
    config.retry.base_delay = Duration::from_millis(10);
    config.pace = None;
    config
}

fn connector(sim: &TapdSim, account: &ApiAccount) -> Tapd {
    Tapd::new(config(sim, account)).expect("connector")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

/// The live (not deleted) timesheets the simulator holds.
fn live(sim: &TapdSim) -> Vec<Timesheet> {
    sim.timesheets()
        .into_iter()
        .filter(|t| !t.is_delete)
        .collect()
}

fn entity_id(w: &NewWorklog) -> String {
    let task = w.item.task.clone().unwrap_or_default();
    task.split_once(':')
        .map(|(_, id)| id.to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn hours_are_written_for_the_person_found_updated_listed_and_deleted() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());
    let report = tapd.test().await.expect("test connection");
    assert_eq!(report.account, "hourbridge_api");
    assert_eq!(
        report.projects.len(),
        4,
        "the workspaces, not the company itself"
    );

    let w = common::assigned_worklog(&tapd, day(), 450).await;
    let remain_before = sim.remain_of(&entity_id(&w));
    let written = tapd.create_worklog(&w).await.expect("created");
    assert_eq!(written.person.as_deref(), Some(w.person.as_str()));
    let held = live(&sim);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].owner, w.person, "the person's hours");
    assert_eq!(held[0].timespent, "7.5");
    assert_eq!(held[0].creator, "hourbridge_api");
    assert!(held[0]
        .memo
        .as_deref()
        .is_some_and(|m| m.ends_with(&w.external_id.marker())));
    assert_eq!(
        sim.remain_of(&entity_id(&w)),
        remain_before,
        "the remaining estimate is not touched"
    );
    tapd.delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("deleted");

    common::round_trip(&tapd, &w).await;
    assert!(live(&sim).is_empty());
}

#[tokio::test]
async fn a_lost_answer_does_not_duplicate_the_timesheet() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());
    let w = common::assigned_worklog(&tapd, day(), 240).await;
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /timesheets", 1),
    );
    let written = write_once(&tapd, &w, 3).await.expect("written once");
    assert_eq!(live(&sim).len(), 1);
    assert_eq!(sim.stats().dropped_after_write, 1);
    assert_eq!(written.external_id, Some(w.external_id));
}

#[tokio::test]
async fn a_second_create_for_the_same_day_updates_hourbridges_record() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());
    let w = common::assigned_worklog(&tapd, day(), 240).await;
    let first = tapd.create_worklog(&w).await.expect("created");
    let mut again = w.clone();
    again.minutes = 300;
    let second = tapd
        .create_worklog(&again)
        .await
        .expect("the refused create became an update");
    assert_eq!(second.id, first.id);
    assert_eq!(second.minutes, 300);
    let held = live(&sim);
    assert_eq!(
        held.len(),
        1,
        "TAPD holds one record per item, day and owner"
    );
    assert_eq!(held[0].timespent, "5");
}

#[tokio::test]
async fn a_record_typed_in_by_hand_is_left_alone() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());
    let w = common::assigned_worklog(&tapd, day(), 450).await;
    // The person logged 2 hours on the same task and day in TAPD itself.
    let account = ApiAccount::integration();
    let typed = reqwest::Client::new()
        .post(format!("{}/timesheets", sim.base_url()))
        .basic_auth(&account.api_user, Some(&account.api_password))
        .form(&[
            ("workspace_id", w.item.project.as_str()),
            ("entity_type", "task"),
            ("entity_id", entity_id(&w).as_str()),
            ("owner", w.person.as_str()),
            ("timespent", "2"),
            ("spentdate", "2026-03-02"),
            ("memo", "联调"),
        ])
        .send()
        .await
        .expect("sent");
    assert!(typed.status().is_success());

    let error = tapd.create_worklog(&w).await.expect_err("not overwritten");
    assert!(
        matches!(&error, PmError::Rejected { message, .. }
            if message.contains("only one record") && message.contains("not written by HourBridge")),
        "TAPD's words and why: {error}"
    );
    let held = live(&sim);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].timespent, "2");
    assert_eq!(held[0].memo.as_deref(), Some("联调"));
    assert!(tapd
        .find_worklog(&w.item, w.date, &w.external_id)
        .await
        .expect("find")
        .is_none());
}

#[tokio::test]
async fn open_items_are_read_over_several_pages_and_people_found_exactly() {
    let sim = simulator(SimConfig {
        company: CompanySpec {
            people: 120,
            departments: 4,
            ..CompanySpec::default()
        },
        projects: 1,
        ..small()
    })
    .await;
    let tapd = connector(&sim, &ApiAccount::integration());
    let project = tapd.projects().await.expect("projects").remove(0);
    let tasks = tapd.open_tasks(&project).await.expect("tasks");
    let dir = sim.directory();
    let open_tasks = dir
        .items
        .iter()
        .filter(|i| matches!(i.status, "open" | "progressing"))
        .count();
    let open_stories = dir
        .items
        .iter()
        .filter(|i| matches!(i.status, "planning" | "developing"))
        .count();
    assert!(open_tasks > 200, "more than one page: {open_tasks}");
    assert_eq!(tasks.len(), open_tasks + open_stories);
    assert!(sim.stats().calls_to("GET /tasks") >= 2);
    let shared = dir
        .items
        .iter()
        .find(|i| i.owners().count() > 1 && i.is_open())
        .expect("an item with two owners");
    let listed = tasks
        .iter()
        .find(|t| {
            t.item
                .task
                .as_deref()
                .is_some_and(|x| x.ends_with(&shared.id))
        })
        .expect("listed");
    assert_eq!(listed.assignee.as_deref(), shared.owners().next());

    let users = tapd.users().await.expect("users");
    assert_eq!(users.len(), dir.members.len());
    let person = &dir.members[7];
    let by_email = tapd
        .find_users(&UserQuery::Email(person.email.to_uppercase()))
        .await
        .expect("search");
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, person.nick);
    assert_eq!(by_email[0].name, person.name);
    let by_login = tapd
        .find_users(&UserQuery::Login(person.nick.clone()))
        .await
        .expect("search");
    assert_eq!(by_login.len(), 1);
    let by_name = tapd
        .find_users(&UserQuery::Name(person.name.clone()))
        .await
        .expect("search");
    assert!(by_name.iter().all(|u| u.name == person.name));
    assert!(by_name.iter().any(|u| u.id == person.nick));
    let prefix: String = person.email.chars().take(4).collect();
    let none = tapd
        .find_users(&UserQuery::Email(prefix))
        .await
        .expect("search");
    assert!(none.is_empty(), "a prefix is not a match");
}

#[tokio::test]
async fn reconciling_reads_ranges_tapd_would_cut_short() {
    // TAPD lists at most page × limit rows per query; here 400.
    let sim = simulator(SimConfig {
        company: CompanySpec {
            people: 40,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 1,
        max_rows_per_query: 400,
        ..small()
    })
    .await;
    let mut settings = config(&sim, &ApiAccount::integration());
    settings.max_rows_per_query = 400;
    let tapd = Tapd::new(settings).expect("connector");
    let project = tapd.projects().await.expect("projects").remove(0);
    let assigned: Vec<_> = tapd
        .open_tasks(&project)
        .await
        .expect("tasks")
        .into_iter()
        .filter(|t| t.assignee.is_some())
        .take(25)
        .collect();
    let first = day();
    let last = first + Days::days(19);
    let mut written = 0;
    for offset in 0..20 {
        let date = first + Days::days(offset);
        for task in &assigned {
            let w = NewWorklog {
                person: task.assignee.clone().unwrap_or_default(),
                external_id: ExternalId::new("hb-test", date, &task.item.id_part()),
                item: task.item.clone(),
                date,
                minutes: 60 + offset as u32,
                comment: "出勤折算".into(),
            };
            tapd.create_worklog(&w).await.expect("written");
            written += 1;
        }
    }
    assert!(written > 400, "{written}");

    let all = tapd
        .worklogs(&WorklogQuery {
            first,
            last,
            people: Vec::new(),
            items: Vec::new(),
        })
        .await
        .expect("listed");
    assert_eq!(all.len(), written, "every timesheet, none twice");
    assert!(
        sim.stats().calls_to("GET /timesheets/count") > 1,
        "the range was counted and split"
    );

    let person = assigned[0].assignee.clone().unwrap_or_default();
    let items = vec![assigned[0].item.clone(), assigned[1].item.clone()];
    let some = tapd
        .worklogs(&WorklogQuery {
            first,
            last: first + Days::days(9),
            people: vec![person.clone()],
            items: items.clone(),
        })
        .await
        .expect("listed");
    let expected = live(&sim)
        .iter()
        .filter(|t| t.owner == person && t.spentdate <= first + Days::days(9))
        .filter(|t| {
            items
                .iter()
                .any(|i| i.task.as_deref() == Some(&format!("task:{}", t.entity_id)))
        })
        .count();
    assert!(expected >= 10);
    assert_eq!(some.len(), expected);
    assert!(some
        .iter()
        .all(|w| w.person.as_deref() == Some(person.as_str()) && items.contains(&w.item)));
}

#[tokio::test]
async fn throttling_is_waited_out_or_reported() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());
    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        FaultScope::any(2),
    );
    let projects = tapd.projects().await.expect("answered after the waits");
    assert_eq!(projects.len(), 4);
    assert_eq!(sim.stats().rate_limited, 2);

    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 600,
        },
        FaultScope::any(1),
    );
    let error = tapd.projects().await.expect_err("too long a wait");
    assert!(
        matches!(error, PmError::Throttled { retry_after: Some(d), .. } if d == Duration::from_secs(600)),
        "{error}"
    );
}

#[tokio::test]
async fn failures_come_back_with_their_reason() {
    let sim = simulator(small()).await;
    let tapd = connector(&sim, &ApiAccount::integration());

    let mut wrong = ApiAccount::integration();
    wrong.api_password = "not-the-password".into();
    let error = connector(&sim, &wrong).test().await.expect_err("wrong");
    assert_eq!(error.reason(), "auth", "{error}");
    assert_eq!(sim.stats().unauthorized, 1);

    // The limited account may not use the first workspace.
    let w = common::assigned_worklog(&tapd, day(), 450).await;
    assert_eq!(w.item.project, sim.directory().workspaces[0].id);
    let limited = connector(&sim, &ApiAccount::limited());
    let error = limited.create_worklog(&w).await.expect_err("no permission");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("no permission")),
        "{error}"
    );

    let mut nothing = w.clone();
    nothing.minutes = 0;
    let error = tapd.create_worklog(&nothing).await.expect_err("no hours");
    assert!(
        matches!(&error, PmError::Rejected { status: 422, message, .. }
            if message == "timespent must be a number greater than 0"),
        "TAPD's own words: {error}"
    );
    let mut stranger = w.clone();
    stranger.person = "nobody0000".into();
    let error = tapd.create_worklog(&stranger).await.expect_err("stranger");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("not a member")),
        "{error}"
    );

    let mut gone = w.clone();
    gone.item.task = Some(format!("task:11{}009999999", w.item.project));
    let error = tapd.create_worklog(&gone).await.expect_err("no such task");
    assert_eq!(error.reason(), "not_found", "{error}");
    let phantom = WorklogRef {
        id: format!("10{}009999999", w.item.project),
        item: w.item.clone(),
    };
    let error = tapd
        .update_worklog(&phantom, &w)
        .await
        .expect_err("no such timesheet");
    assert_eq!(error.reason(), "not_found", "{error}");

    let project_only = NewWorklog {
        item: ItemRef {
            project: w.item.project.clone(),
            task: None,
        },
        ..w.clone()
    };
    let error = tapd
        .create_worklog(&project_only)
        .await
        .expect_err("no item");
    assert_eq!(error.reason(), "unsupported");

    // A record is never moved to another day, nor deleted under another item.
    let written = tapd.create_worklog(&w).await.expect("created");
    let mut moved = w.clone();
    moved.date = day() + Days::days(1);
    let error = tapd
        .update_worklog(&WorklogRef::from(&written), &moved)
        .await
        .expect_err("moved");
    assert_eq!(error.reason(), "rejected", "{error}");
    let elsewhere = WorklogRef {
        id: written.id.clone(),
        item: ItemRef {
            project: w.item.project.clone(),
            task: Some(format!("story:10{}001000001", w.item.project)),
        },
    };
    let error = tapd
        .delete_worklog(&elsewhere)
        .await
        .expect_err("wrong item");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("does not belong")),
        "{error}"
    );
    assert_eq!(live(&sim).len(), 1, "still there, unchanged");
    assert_eq!(live(&sim)[0].spentdate, day());

    sim.faults().inject(
        Fault::MalformedJson,
        FaultScope::path("GET /workspaces/projects", 1),
    );
    let error = tapd.projects().await.expect_err("garbled");
    assert_eq!(error.reason(), "malformed", "{error}");

    let mut slow = config(&sim, &ApiAccount::integration());
    slow.timeout = Duration::from_millis(200);
    slow.retry.max_retries = 0;
    sim.faults().inject(
        Fault::Slow(Duration::from_secs(2)),
        FaultScope::path("GET /workspaces/projects", 1),
    );
    let error = Tapd::new(slow)
        .expect("connector")
        .projects()
        .await
        .expect_err("too slow");
    assert_eq!(error.reason(), "timeout", "{error}");

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        listener.local_addr().expect("address").port()
    };
    let mut nowhere = TapdConfig::new(
        &format!("http://127.0.0.1:{closed}"),
        "hourbridge_api",
        "x",
        "1",
    );
    nowhere.retry.max_retries = 0;
    let error = Tapd::new(nowhere)
        .expect("connector")
        .projects()
        .await
        .expect_err("nothing listens");
    assert_eq!(error.reason(), "unreachable", "{error}");
}
