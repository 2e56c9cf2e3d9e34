//! The Feishu Project connector against the Feishu Project simulator:
//! writing as the person with an idempotency key, retries that never
//! duplicate, token renewal, paging, rate limiting, and each failure with
//! its reason.

mod common;

use chrono::{Datelike, Duration as Days, NaiveDate, Weekday};
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm::feishu::{FeishuConfig, FeishuProject, ORG_OFFSET_SECS};
use hourbridge_pm::{
    write_once, ExternalId, ItemRef, NewWorklog, PmError, Project, Target, UserQuery, WorklogQuery,
    WorklogRef,
};
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::feishu::{FeishuConfig as SimConfig, FeishuSim};
use hourbridge_pm_sim::{Fault, FaultScope};
use std::time::Duration;

const CREATE: &str =
    "POST /open_api/{project_key}/work_item/{work_item_type_key}/{work_item_id}/work_hour_record";

async fn simulator(config: SimConfig) -> FeishuSim {
    FeishuSim::start(config)
        .await
        .expect("the Feishu Project simulator starts")
}

/// A small company, no rate limit (the throttling test sets its own).
fn small() -> SimConfig {
    SimConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 3,
        rate_limit: RateLimit::OFF,
        ..SimConfig::default()
    }
}

fn first_space(sim: &FeishuSim) -> String {
    sim.directory().spaces[0].project_key.clone()
}

fn connector_with(sim: &FeishuSim, tweak: impl FnOnce(&mut FeishuConfig)) -> FeishuProject {
    let c = sim.config();
    let mut config = FeishuConfig::new(
        &sim.base_url(),
        &c.plugin_id,
        &c.plugin_secret,
        &first_space(sim),
        &c.operator_user_key,
    );
    config.retry.base_delay = Duration::from_millis(10);
    tweak(&mut config);
    FeishuProject::new(config).expect("connector")
}

fn connector(sim: &FeishuSim) -> FeishuProject {
    connector_with(sim, |_| {})
}

/// A Monday (the day kind must not matter, see `a_weekend_day_is_recorded`).
fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

fn midnight_in_china_ms(date: NaiveDate) -> i64 {
    let utc_midnight = date
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_millis();
    utc_midnight - i64::from(ORG_OFFSET_SECS) * 1000
}

#[tokio::test]
async fn hours_are_written_for_the_person_and_round_trip() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let report = feishu.test().await.expect("connection test");
    assert_eq!(
        report.projects[0].id,
        first_space(&sim),
        "the connection's space first"
    );
    assert_eq!(
        report.projects[0].key,
        sim.directory().spaces[0].simple_name
    );
    assert!(report.account.contains("HourBridge"), "{}", report.account);

    let w = common::assigned_worklog(&feishu, day(), 450).await;
    let written = feishu.create_worklog(&w).await.expect("created");
    assert_eq!(
        written.person.as_deref(),
        Some(w.person.as_str()),
        "the person's hours"
    );
    let held = sim.records();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].work_user_key, w.person);
    assert_eq!(held[0].work_time, 7.5);
    assert_eq!(held[0].work_date, midnight_in_china_ms(day()));
    assert!(held[0].work_description.ends_with(&w.external_id.marker()));
    feishu
        .delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("deleted");

    common::round_trip(&feishu, &w).await;
    assert!(sim.records().is_empty());
}

#[tokio::test]
async fn a_repeated_create_is_answered_without_a_second_record() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 240).await;
    let first = feishu.create_worklog(&w).await.expect("created");
    let again = feishu.create_worklog(&w).await.expect("answered again");
    assert_eq!(again.id, first.id);
    assert_eq!(sim.records().len(), 1);
    assert_eq!(sim.stats().calls_to(CREATE), 2);
    assert_eq!(sim.stats().writes, 1, "the same X-IDEM-UUID wrote once");
}

#[tokio::test]
async fn a_lost_answer_does_not_duplicate_the_record() {
    let sim = simulator(small()).await;
    // The HTTP layer sends the create again with the same X-IDEM-UUID.
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 240).await;
    sim.faults()
        .inject(Fault::DropAfterWrite, FaultScope::path(CREATE, 1));
    write_once(&feishu, &w, 3).await.expect("written once");
    assert_eq!(sim.records().len(), 1);
    assert_eq!(sim.stats().dropped_after_write, 1);
    assert_eq!(sim.stats().writes, 1);

    // Without HTTP retries, write_once finds the record it wrote by its marker.
    let sim = simulator(small()).await;
    let feishu = connector_with(&sim, |c| c.retry.max_retries = 0);
    let w = common::assigned_worklog(&feishu, day(), 240).await;
    sim.faults()
        .inject(Fault::DropAfterWrite, FaultScope::path(CREATE, 1));
    let written = write_once(&feishu, &w, 3)
        .await
        .expect("found after the lost answer");
    assert_eq!(sim.records().len(), 1);
    assert_eq!(written.id, sim.records()[0].id.to_string());
    assert_eq!(sim.stats().calls_to(CREATE), 1);
}

#[tokio::test]
async fn half_the_answers_lost_still_writes_each_record_once() {
    let sim = simulator(SimConfig {
        drop_after_write_ratio: 0.5,
        drop_after_write_seed: 7,
        ..small()
    })
    .await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 60).await;
    for n in 0..12 {
        let mut one = w.clone();
        one.date = day() + Days::days(n);
        one.external_id = ExternalId::new("hb-test", one.date, &one.item.id_part());
        write_once(&feishu, &one, 3).await.expect("written");
    }
    let stats = sim.stats();
    assert!(stats.dropped_after_write > 0, "answers were lost");
    assert_eq!(stats.writes, 12);
    let held = sim.records();
    assert_eq!(held.len(), 12, "none twice");
    let mut days: Vec<i64> = held.iter().map(|r| r.work_date).collect();
    days.dedup();
    assert_eq!(days.len(), 12, "one record a day");
}

#[tokio::test]
async fn a_record_deleted_and_written_again_is_really_written() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 300).await;
    let first = feishu.create_worklog(&w).await.expect("created");
    feishu
        .delete_worklog(&WorklogRef::from(&first))
        .await
        .expect("deleted");
    // The same write within the idempotency window (e.g. a run rolled back
    // and run again): Feishu answers the deleted record; the connector notices.
    let second = feishu.create_worklog(&w).await.expect("written again");
    assert_ne!(second.id, first.id);
    let held = sim.records();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].id.to_string(), second.id);
}

#[tokio::test]
async fn updates_follow_each_other_even_back_to_an_earlier_value() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 240).await;
    let written = feishu.create_worklog(&w).await.expect("created");
    let existing = WorklogRef::from(&written);
    for minutes in [480, 240, 480] {
        let mut changed = w.clone();
        changed.minutes = minutes;
        let updated = feishu
            .update_worklog(&existing, &changed)
            .await
            .expect("updated");
        assert_eq!(updated.minutes, minutes);
        assert_eq!(sim.records()[0].work_time * 60.0, f64::from(minutes));
    }

    let mut moved = w.clone();
    moved.date = day() + Days::days(1);
    let error = feishu
        .update_worklog(&existing, &moved)
        .await
        .expect_err("a record stays on its day");
    assert_eq!(error.reason(), "rejected");
    let gone = WorklogRef {
        id: "7399999999".into(),
        item: w.item.clone(),
    };
    let error = feishu
        .update_worklog(&gone, &w)
        .await
        .expect_err("no such record");
    assert_eq!(error.reason(), "not_found");
    feishu
        .delete_worklog(&gone)
        .await
        .expect("deleting nothing is fine");
}

#[tokio::test]
async fn a_weekend_day_is_recorded() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let saturday = day() + Days::days(5);
    assert_eq!(saturday.weekday(), Weekday::Sat);
    let w = common::assigned_worklog(&feishu, saturday, 120).await;
    let written = feishu.create_worklog(&w).await.expect("created");
    assert_eq!(written.date, saturday);
    assert_eq!(sim.records().len(), 1);
}

#[tokio::test]
async fn users_and_work_items_are_read_over_several_pages() {
    let sim = simulator(SimConfig {
        company: CompanySpec {
            people: 260,
            departments: 4,
            ..CompanySpec::default()
        },
        projects: 2,
        ..small()
    })
    .await;
    let feishu = connector(&sim);
    let space = sim.directory().spaces[0].clone();
    assert!(
        space.members.len() > 100,
        "more than one page: {}",
        space.members.len()
    );
    let users = feishu.users().await.expect("users");
    let mut ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    ids.sort();
    let mut members = space.members.clone();
    members.sort();
    assert_eq!(ids, members);
    assert!(
        users.iter().any(|u| !u.active),
        "people who left are listed as inactive"
    );

    let person = sim
        .directory()
        .people()
        .find(|u| space.is_member(&u.user_key) && u.is_active())
        .cloned()
        .expect("a member");
    let by_email = feishu
        .find_users(&UserQuery::Email(person.email.to_uppercase()))
        .await
        .expect("by e-mail");
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, person.user_key);
    assert_eq!(by_email[0].name, person.name_cn);
    let by_login = feishu
        .find_users(&UserQuery::Login(person.username.clone()))
        .await
        .expect("by login");
    assert_eq!(
        by_login.iter().map(|u| &u.id).collect::<Vec<_>>(),
        [&person.user_key]
    );
    let by_name = feishu
        .find_users(&UserQuery::Name(person.name_cn.clone()))
        .await
        .expect("by name");
    assert!(!by_name.is_empty() && by_name.iter().all(|u| u.name == person.name_cn));
    let nobody = feishu
        .find_users(&UserQuery::Email("nobody@corp.example".into()))
        .await
        .expect("no one");
    assert!(nobody.is_empty());

    let project = Project {
        id: space.project_key.clone(),
        key: space.simple_name.clone(),
        name: space.name.clone(),
    };
    let tasks = feishu.open_tasks(&project).await.expect("open tasks");
    let expected = sim
        .directory()
        .items_of(&space.project_key)
        .filter(|w| w.is_open() && (w.type_key == "story" || w.type_key == "task"))
        .count();
    assert!(expected > 100, "more than two pages: {expected}");
    assert_eq!(
        tasks.len(),
        expected,
        "every open story and task, nothing else"
    );
    for task in &tasks {
        let (kind, id) = task
            .item
            .task
            .as_deref()
            .and_then(|t| t.split_once(':'))
            .expect("type:id");
        let item = sim
            .directory()
            .work_item(id.parse().expect("id"))
            .expect("a work item");
        assert_eq!(kind, item.type_key);
        assert!(item.is_open());
        let owner = item
            .owner
            .clone()
            .or_else(|| item.node_owners.first().cloned());
        assert_eq!(task.assignee, owner, "assigned to {}", task.title);
    }
    assert!(
        tasks.iter().any(|t| t.assignee.is_none()),
        "the unassigned task"
    );

    let bugs = connector_with(&sim, |c| c.work_item_types = vec!["issue".into()])
        .open_tasks(&project)
        .await
        .expect("bugs");
    assert!(!bugs.is_empty());
    assert!(bugs.iter().all(|t| t
        .item
        .task
        .as_deref()
        .is_some_and(|t| t.starts_with("issue:"))));
}

#[tokio::test]
async fn members_come_from_the_teams_when_the_member_group_is_closed_to_plugins() {
    let sim = simulator(SimConfig {
        members_need_user_token: true,
        ..small()
    })
    .await;
    let feishu = connector(&sim);
    let space = sim.directory().spaces[0].clone();
    let mut ids: Vec<String> = feishu
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.id)
        .collect();
    ids.sort();
    let mut in_teams: Vec<String> = space
        .teams
        .iter()
        .flat_map(|t| t.user_keys.clone())
        .collect();
    in_teams.sort();
    assert!(!ids.is_empty());
    assert_eq!(ids, in_teams);
}

#[tokio::test]
async fn records_are_read_over_several_pages() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 60).await;
    let days = 60;
    for n in 0..days {
        let mut one = w.clone();
        one.date = day() + Days::days(n);
        one.external_id = ExternalId::new("hb-test", one.date, &one.item.id_part());
        feishu.create_worklog(&one).await.expect("created");
    }
    assert_eq!(sim.records().len(), days as usize);
    let last = day() + Days::days(days - 1);
    let found = feishu
        .find_worklog(
            &w.item,
            last,
            &ExternalId::new("hb-test", last, &w.item.id_part()),
        )
        .await
        .expect("find")
        .expect("on the second page");
    assert_eq!(found.date, last);

    let query = |people: Vec<String>, items: Vec<ItemRef>| WorklogQuery {
        first: day() + Days::days(10),
        last: day() + Days::days(54),
        people,
        items,
    };
    let listed = feishu
        .worklogs(&query(Vec::new(), vec![w.item.clone()]))
        .await
        .expect("listed");
    assert_eq!(listed.len(), 45, "the range, over both pages");
    let walked = feishu
        .worklogs(&query(vec![w.person.clone()], Vec::new()))
        .await
        .expect("walked over the open tasks");
    assert_eq!(walked.len(), 45);
    let others = feishu
        .worklogs(&query(vec!["7099999999999999999".into()], Vec::new()))
        .await
        .expect("someone else's");
    assert!(others.is_empty());
}

#[tokio::test]
async fn an_expired_token_is_renewed_once() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    feishu.projects().await.expect("projects");
    assert_eq!(sim.tokens_issued(), 1, "one token for several calls");
    sim.expire_tokens();
    feishu.projects().await.expect("projects with a new token");
    assert_eq!(sim.tokens_issued(), 2);
    assert_eq!(sim.stats().unauthorized, 1);

    // Tokens that are stale on arrival: renewed once, then the call fails.
    let sim = simulator(SimConfig {
        token_ttl: Duration::ZERO,
        ..small()
    })
    .await;
    let error = connector(&sim).projects().await.expect_err("stale tokens");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("freshly fetched")),
        "{error}"
    );
    assert_eq!(sim.tokens_issued(), 2);
}

#[tokio::test]
async fn wrong_plugin_credentials_are_an_auth_failure() {
    let sim = simulator(small()).await;
    let wrong = connector_with(&sim, |c| c.plugin_secret = "not-the-secret".into());
    let error = wrong.test().await.expect_err("wrong secret");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("plugin_id or plugin_secret")),
        "{error}"
    );
    let unknown_space = connector_with(&sim, |c| c.project_key = "0123456789abcdef01234567".into());
    assert_eq!(
        unknown_space
            .test()
            .await
            .expect_err("no such space")
            .reason(),
        "not_found"
    );
}

#[tokio::test]
async fn rate_limiting_is_waited_out_and_reported_when_it_persists() {
    let sim = simulator(SimConfig {
        rate_limit: RateLimit {
            per_second: 4,
            burst: 2,
        },
        ..small()
    })
    .await;
    let feishu = connector_with(&sim, |c| {
        c.retry.base_delay = Duration::from_millis(200);
        c.retry.max_retries = 6;
    });
    let email = sim
        .directory()
        .people()
        .next()
        .expect("a person")
        .email
        .clone();
    for _ in 0..6 {
        let found = feishu
            .find_users(&UserQuery::Email(email.clone()))
            .await
            .expect("found after waiting");
        assert_eq!(found.len(), 1);
    }
    assert!(sim.stats().rate_limited > 0, "the limit was reached");

    let sim = simulator(small()).await;
    let feishu = connector_with(&sim, |c| c.retry.max_retries = 1);
    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        FaultScope::path("POST /open_api/projects", 5),
    );
    let error = feishu.projects().await.expect_err("still limited");
    assert_eq!(error.reason(), "throttled");
}

/// A member of the first space and an open task of the space's, for
/// writing as someone else than its assignee.
async fn worklog_for(feishu: &FeishuProject, person: &str, minutes: u32) -> NewWorklog {
    let mut w = common::assigned_worklog(feishu, day(), minutes).await;
    w.person = person.to_owned();
    w
}

#[tokio::test]
async fn failures_come_back_with_their_reason() {
    let sim = simulator(small()).await;
    let feishu = connector(&sim);
    let w = common::assigned_worklog(&feishu, day(), 25 * 60).await;
    let error = feishu.create_worklog(&w).await.expect_err("over 24 hours");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("at most 24 hours")),
        "Feishu's own words: {error}"
    );

    let mut long = w.clone();
    long.minutes = 16 * 60;
    feishu.create_worklog(&long).await.expect("16 hours");
    let other_task = {
        let project = &feishu.projects().await.expect("projects")[0];
        feishu
            .open_tasks(project)
            .await
            .expect("tasks")
            .into_iter()
            .find(|t| t.assignee.as_deref() == Some(w.person.as_str()) && t.item != w.item)
            .expect("the person's other open task")
    };
    let mut more = long.clone();
    more.item = other_task.item.clone();
    more.minutes = 10 * 60;
    more.external_id = ExternalId::new("hb-test", day(), &more.item.id_part());
    let error = feishu
        .create_worklog(&more)
        .await
        .expect_err("26 hours in a day");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("more than 24")),
        "{error}"
    );
    assert_eq!(sim.records().len(), 1, "only the 16 hours");

    let outsider = sim
        .directory()
        .people()
        .find(|u| u.is_active() && !sim.directory().spaces[0].is_member(&u.user_key))
        .expect("someone outside the space")
        .user_key
        .clone();
    let error = feishu
        .create_worklog(&worklog_for(&feishu, &outsider, 60).await)
        .await
        .expect_err("not a member");
    assert!(
        matches!(&error, PmError::Rejected { message, .. } if message.contains("not a member")),
        "{error}"
    );

    let mut missing = w.clone();
    missing.minutes = 60;
    missing.item.task = Some("story:1".into());
    assert_eq!(
        feishu
            .create_worklog(&missing)
            .await
            .expect_err("no such work item")
            .reason(),
        "not_found"
    );
    missing.item.task = None;
    assert_eq!(
        feishu
            .create_worklog(&missing)
            .await
            .expect_err("a space alone")
            .reason(),
        "unsupported"
    );

    sim.faults().inject(
        Fault::MalformedJson,
        FaultScope::path("POST /open_api/work_item/man_hour/records", 1),
    );
    let error = feishu
        .find_worklog(&w.item, day(), &w.external_id)
        .await
        .expect_err("a broken answer");
    assert_eq!(error.reason(), "malformed");
}

#[tokio::test]
async fn transport_failures_are_unreachable_or_timeout() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("address").port()
    };
    let nowhere = FeishuProject::new({
        let mut c = FeishuConfig::new(
            &format!("http://127.0.0.1:{closed}"),
            "MII_1",
            "secret",
            "pk",
            "7000000000000000001",
        );
        c.retry.max_retries = 0;
        c
    })
    .expect("connector");
    assert_eq!(
        nowhere.test().await.expect_err("closed port").reason(),
        "unreachable"
    );

    let sim = simulator(small()).await;
    let slow = connector_with(&sim, |c| {
        c.timeout = Duration::from_millis(300);
        c.retry.max_retries = 0;
    });
    sim.faults().inject(
        Fault::Slow(Duration::from_secs(3)),
        FaultScope::path("POST /open_api/projects", 1),
    );
    assert_eq!(
        slow.projects().await.expect_err("too slow").reason(),
        "timeout"
    );
}
