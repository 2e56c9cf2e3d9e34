//! The Jira connector against the Jira simulator, Cloud and Data Center:
//! what a sync run does (find people, find issues, write, retry, reconcile)
//! and every way it can fail.

mod common;

use chrono::NaiveDate;
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm::jira::{Auth, Flavour, Jira, JiraConfig};
use hourbridge_pm::{write_once, ItemRef, NewWorklog, PmError, Target, UserQuery, WorklogRef};
use hourbridge_pm_sim::jira::{ApiAccount, JiraSim};
use hourbridge_pm_sim::{Fault, FaultScope};
use std::time::Duration;

async fn simulator() -> JiraSim {
    JiraSim::start(hourbridge_pm_sim::jira::JiraConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 4,
        ..hourbridge_pm_sim::jira::JiraConfig::default()
    })
    .await
    .expect("the Jira simulator starts")
}

fn connector(sim: &JiraSim, flavour: Flavour, account: &ApiAccount) -> Jira {
    let auth = match flavour {
        Flavour::Cloud => Auth::Basic {
            user: account.email.clone(),
            secret: account.api_token.clone(),
        },
        Flavour::DataCenter => Auth::Bearer(account.pat.clone()),
    };
    let mut config = JiraConfig::new(&sim.base_url(), flavour, auth);
    config.retry.base_delay = Duration::from_millis(10);
    Jira::new(config).expect("connector")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("date")
}

async fn first_worklog(jira: &Jira, date: NaiveDate) -> NewWorklog {
    common::assigned_worklog(jira, date, 450).await
}

async fn round_trip(flavour: Flavour) {
    let sim = simulator().await;
    let jira = connector(&sim, flavour, &ApiAccount::integration());
    let report = jira.test().await.expect("test connection");
    assert_eq!(report.projects.len(), 4);
    assert!(!report.account.is_empty());

    let w = first_worklog(&jira, day(2)).await;
    let written = jira.create_worklog(&w).await.expect("created");
    assert_eq!(sim.worklogs().len(), 1, "held by Jira");
    jira.delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("deleted");

    common::round_trip(&jira, &w).await;
    assert!(sim.worklogs().is_empty());
}

#[tokio::test]
async fn cloud_create_list_update_delete() {
    round_trip(Flavour::Cloud).await;
}

#[tokio::test]
async fn data_center_create_list_update_delete() {
    round_trip(Flavour::DataCenter).await;
}

#[tokio::test]
async fn a_lost_answer_does_not_duplicate_the_worklog() {
    let sim = simulator().await;
    let jira = connector(&sim, Flavour::Cloud, &ApiAccount::integration());
    let w = first_worklog(&jira, day(3)).await;
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 1),
    );
    let written = write_once(&jira, &w, 3).await.expect("written once");
    assert_eq!(sim.worklogs().len(), 1, "exactly one worklog arrived");
    assert_eq!(written.external_id, Some(w.external_id));
}

#[tokio::test]
async fn users_are_found_exactly_by_email_and_name() {
    let sim = simulator().await;
    let jira = connector(&sim, Flavour::Cloud, &ApiAccount::integration());
    let person = sim
        .directory()
        .users
        .iter()
        .find(|u| u.dingtalk_userid.is_some())
        .cloned()
        .expect("a person");
    let by_email = jira
        .find_users(&UserQuery::Email(person.email.to_uppercase()))
        .await
        .expect("search");
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, person.account_id);
    let by_name = jira
        .find_users(&UserQuery::Name(person.display_name.clone()))
        .await
        .expect("search");
    assert!(by_name.iter().any(|u| u.id == person.account_id));
    // A prefix is not a match.
    let prefix: String = person.email.chars().take(3).collect();
    let none = jira
        .find_users(&UserQuery::Email(prefix))
        .await
        .expect("search");
    assert!(none.is_empty());

    let everyone = jira.users().await.expect("all users");
    assert!(
        everyone.len() > 30,
        "people and accounts: {}",
        everyone.len()
    );
}

#[tokio::test]
async fn every_page_of_issues_is_read() {
    let sim = JiraSim::start(hourbridge_pm_sim::jira::JiraConfig {
        company: CompanySpec {
            people: 400,
            departments: 4,
            ..CompanySpec::default()
        },
        projects: 1,
        ..hourbridge_pm_sim::jira::JiraConfig::default()
    })
    .await
    .expect("sim");
    for flavour in [Flavour::Cloud, Flavour::DataCenter] {
        let jira = connector(&sim, flavour, &ApiAccount::integration());
        let project = jira.projects().await.expect("projects").remove(0);
        let tasks = jira.open_tasks(&project).await.expect("tasks");
        let expected = sim
            .directory()
            .issues
            .iter()
            .filter(|i| !matches!(i.status, "Done" | "Closed" | "Resolved"))
            .count();
        assert!(expected > 100, "more than one page: {expected}");
        assert_eq!(tasks.len(), expected, "{flavour:?}");
    }
}

#[tokio::test]
async fn rate_limits_are_waited_out() {
    let sim = simulator().await;
    let jira = connector(&sim, Flavour::Cloud, &ApiAccount::integration());
    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        FaultScope::any(2),
    );
    let projects = jira.projects().await.expect("answered after the waits");
    assert_eq!(projects.len(), 4);
    assert!(sim.stats().faults_served >= 2);
}

#[tokio::test]
async fn failures_come_back_with_their_reason() {
    let sim = simulator().await;

    let mut wrong = ApiAccount::integration();
    wrong.api_token = "not-the-token".into();
    let error = connector(&sim, Flavour::Cloud, &wrong)
        .test()
        .await
        .expect_err("wrong token");
    assert_eq!(error.reason(), "auth", "{error}");

    let observer = connector(&sim, Flavour::Cloud, &ApiAccount::observer());
    // An account without "Work on issues" fails the connection test.
    let error = observer.test().await.expect_err("may not log work");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("Work on issues")),
        "{error}"
    );
    let integration = connector(&sim, Flavour::Cloud, &ApiAccount::integration());
    let w = first_worklog(&integration, day(4)).await;
    let error = observer
        .create_worklog(&w)
        .await
        .expect_err("no permission");
    assert!(
        matches!(error, PmError::Rejected { status: 400, .. }),
        "{error}"
    );

    let mut missing = w.clone();
    missing.item = ItemRef {
        project: w.item.project.clone(),
        task: Some(format!("{}-99999", w.item.project)),
    };
    let error = integration
        .create_worklog(&missing)
        .await
        .expect_err("no such issue");
    assert_eq!(error.reason(), "not_found", "{error}");

    sim.faults().inject(
        Fault::MalformedJson,
        FaultScope::path("GET /rest/api/3/myself", 1),
    );
    let error = integration.test().await.expect_err("garbled");
    assert_eq!(error.reason(), "malformed", "{error}");

    let mut config = JiraConfig::new(
        "http://127.0.0.1:9",
        Flavour::Cloud,
        Auth::Bearer("x".into()),
    );
    config.retry.base_delay = Duration::from_millis(10);
    let unreachable = Jira::new(config).expect("connector");
    let error = unreachable.projects().await.expect_err("nothing listens");
    assert!(error.is_transient(), "{error}");
}

/// Writes `n` worklogs on one issue (a day each), `writers` at a time, and
/// answers how many `429`s the simulator served.
async fn concurrent_writes(pace: Option<hourbridge_pm::http::Pace>) -> (usize, u64) {
    let sim = JiraSim::start(hourbridge_pm_sim::jira::JiraConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 4,
        rate_limit: hourbridge_pm_sim::common::limits::RateLimit {
            per_second: 8,
            burst: 8,
        },
        ..hourbridge_pm_sim::jira::JiraConfig::default()
    })
    .await
    .expect("the Jira simulator starts");
    let mut config = JiraConfig::new(
        &sim.base_url(),
        Flavour::Cloud,
        Auth::Basic {
            user: ApiAccount::integration().email,
            secret: ApiAccount::integration().api_token,
        },
    );
    config.pace = pace;
    let jira = Jira::new(config).expect("connector");
    let first = first_worklog(&jira, day(1)).await;
    let before = sim.stats().rate_limited;
    let worklogs: Vec<NewWorklog> = (1..=24)
        .map(|d| {
            let mut w = first.clone();
            w.date = NaiveDate::from_ymd_opt(2026, 4, d).expect("date");
            w.external_id = hourbridge_pm::ExternalId::new("hb-pace", w.date, &w.item.id_part());
            w
        })
        .collect();
    let results = futures::future::join_all(worklogs.chunks(4).map(|chunk| {
        let jira = &jira;
        async move {
            for w in chunk {
                write_once(jira, w, 4).await.expect("written");
            }
        }
    }))
    .await;
    assert_eq!(results.len(), 6);
    (sim.worklogs().len(), sim.stats().rate_limited - before)
}

#[tokio::test]
async fn paced_writers_stay_under_the_site_limit() {
    // Six writers against a site that admits 8 calls a second: paced at 6 a
    // second, none of them is ever told to wait; unpaced, they run into it
    // (and still write everything, after the waits).
    let (held, throttled) = concurrent_writes(hourbridge_pm::http::Pace::per_second(6)).await;
    assert_eq!(held, 24);
    assert_eq!(throttled, 0, "paced calls are never throttled");

    let (held, throttled) = concurrent_writes(None).await;
    assert_eq!(held, 24);
    assert!(throttled > 0, "unpaced writers run into the limit");
}

#[tokio::test]
async fn everyone_is_read_past_the_first_thousand_on_both_flavours() {
    let sim = JiraSim::start(hourbridge_pm_sim::jira::JiraConfig {
        company: CompanySpec {
            people: 1200,
            departments: 6,
            ..CompanySpec::default()
        },
        projects: 1,
        ..hourbridge_pm_sim::jira::JiraConfig::default()
    })
    .await
    .expect("sim");
    let all = sim.directory().users.len();
    let active = sim.directory().users.iter().filter(|u| u.active).count();
    assert!(active > 1000, "more than one page: {active}");
    // Cloud lists everyone (inactive flagged); Data Center's search for "."
    // (in every login and e-mail) lists the active ones.
    let cloud = connector(&sim, Flavour::Cloud, &ApiAccount::integration())
        .users()
        .await
        .expect("Cloud users");
    assert_eq!(cloud.len(), all);
    assert_eq!(cloud.iter().filter(|u| u.active).count(), active);
    let dc = connector(&sim, Flavour::DataCenter, &ApiAccount::integration())
        .users()
        .await
        .expect("Data Center users");
    assert_eq!(dc.len(), active);
    let mut ids: Vec<&str> = dc.iter().map(|u| u.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), active, "nobody twice");
}
