//! The Redmine connector against the Redmine simulator: writing for the
//! person (user_id or switch-user), the external id in its custom field,
//! retries that never duplicate, paging, and each failure with its reason.

mod common;

use chrono::NaiveDate;
use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm::redmine::{OnBehalf, Redmine, RedmineConfig};
use hourbridge_pm::{write_once, PmError, Target, UserQuery, WorklogRef};
use hourbridge_pm_sim::redmine::{RedmineConfig as SimConfig, RedmineSim};
use hourbridge_pm_sim::{Fault, FaultScope};
use std::time::Duration;

async fn simulator(config: SimConfig) -> RedmineSim {
    RedmineSim::start(config)
        .await
        .expect("the Redmine simulator starts")
}

fn small() -> SimConfig {
    SimConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            ..CompanySpec::default()
        },
        projects: 4,
        ..SimConfig::default()
    }
}

fn connector(sim: &RedmineSim, key: &str, on_behalf: OnBehalf) -> Redmine {
    let mut config = RedmineConfig::new(&sim.base_url(), key);
    config.on_behalf = on_behalf;
    config.external_id_field = Some(sim.config().custom_field_id);
    config.retry.base_delay = Duration::from_millis(10);
    Redmine::new(config).expect("connector")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

async fn round_trip(on_behalf: OnBehalf) {
    let sim = simulator(small()).await;
    let key = match on_behalf {
        OnBehalf::UserId => sim.config().integration_key.clone(),
        OnBehalf::SwitchUser => sim.config().admin_key.clone(),
    };
    let redmine = connector(&sim, &key, on_behalf);
    let report = redmine.test().await.expect("test");
    assert!(!report.projects.is_empty());

    let w = common::assigned_worklog(&redmine, day(), 450).await;
    // While it exists, the simulator holds it for the person, with the id in
    // the custom field; afterwards nothing is left.
    let written = redmine.create_worklog(&w).await.expect("created");
    assert_eq!(
        written.person.as_deref(),
        Some(w.person.as_str()),
        "the person's hours"
    );
    let held = sim.time_entries();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].user_id.to_string(), w.person);
    assert_eq!(
        held[0]
            .custom_fields
            .get(&sim.config().custom_field_id)
            .map(String::as_str),
        Some(w.external_id.as_str())
    );
    redmine
        .delete_worklog(&WorklogRef::from(&written))
        .await
        .expect("deleted");

    common::round_trip(&redmine, &w).await;
    assert!(sim.time_entries().is_empty());
}

#[tokio::test]
async fn for_the_person_with_user_id() {
    round_trip(OnBehalf::UserId).await;
}

#[tokio::test]
async fn for_the_person_with_switch_user() {
    round_trip(OnBehalf::SwitchUser).await;
}

#[tokio::test]
async fn a_lost_answer_does_not_duplicate_the_entry() {
    let sim = simulator(small()).await;
    let redmine = connector(
        &sim,
        &sim.config().integration_key.clone(),
        OnBehalf::UserId,
    );
    let w = common::assigned_worklog(&redmine, day(), 240).await;
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /time_entries.json", 1),
    );
    write_once(&redmine, &w, 3).await.expect("written once");
    assert_eq!(sim.time_entries().len(), 1);
}

#[tokio::test]
async fn users_are_read_over_several_pages_and_found_exactly() {
    let sim = simulator(SimConfig {
        company: CompanySpec {
            people: 260,
            departments: 4,
            ..CompanySpec::default()
        },
        ..small()
    })
    .await;
    let redmine = connector(&sim, &sim.config().admin_key.clone(), OnBehalf::SwitchUser);
    let users = redmine.users().await.expect("users");
    let active = sim
        .directory()
        .users
        .iter()
        .filter(|u| u.status == 1)
        .count();
    assert!(active > 200, "more than two pages: {active}");
    assert_eq!(users.len(), active);
    let person = sim
        .directory()
        .users
        .iter()
        .find(|u| u.dingtalk_userid.is_some() && u.status == 1)
        .cloned()
        .expect("a person");
    let found = redmine
        .find_users(&UserQuery::Email(person.mail.clone()))
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, person.id.to_string());
    let name = format!("{}{}", person.lastname, person.firstname);
    let by_name = redmine
        .find_users(&UserQuery::Name(name.clone()))
        .await
        .expect("search");
    assert!(by_name.iter().all(|u| u.name == name) && !by_name.is_empty());
}

#[tokio::test]
async fn failures_come_back_with_their_reason() {
    let sim = simulator(SimConfig {
        max_hours_per_day: Some(8.0),
        ..small()
    })
    .await;
    let wrong = connector(
        &sim,
        "0000000000000000000000000000000000000000",
        OnBehalf::UserId,
    );
    assert_eq!(wrong.test().await.expect_err("wrong key").reason(), "auth");
    // Redmine answers reads with an unknown key as the anonymous user; the
    // connector does not take that for an empty Redmine.
    let wrong = connector(
        &sim,
        "0000000000000000000000000000000000000000",
        OnBehalf::UserId,
    );
    assert_eq!(
        wrong.projects().await.expect_err("wrong key").reason(),
        "auth"
    );

    let integration = connector(
        &sim,
        &sim.config().integration_key.clone(),
        OnBehalf::UserId,
    );
    let error = integration
        .users()
        .await
        .expect_err("users need an admin key");
    assert!(
        matches!(&error, PmError::Auth { message, .. } if message.contains("administrator")),
        "{error}"
    );

    let too_long = common::assigned_worklog(&integration, day(), 9 * 60).await;
    let error = integration
        .create_worklog(&too_long)
        .await
        .expect_err("over the daily cap");
    assert!(
        matches!(&error, PmError::Rejected { status: 422, message, .. } if message.contains("Cannot log more than")),
        "Redmine's own words: {error}"
    );
    assert!(sim.time_entries().is_empty(), "nothing written");

    let mut gone = too_long.clone();
    gone.item.task = Some("999999".into());
    gone.minutes = 60;
    let error = integration
        .create_worklog(&gone)
        .await
        .expect_err("no such issue");
    assert!(
        matches!(error, PmError::Rejected { .. } | PmError::NotFound { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn without_a_default_activity_the_admin_is_told_which_to_choose() {
    // Redmine's own default data marks no activity as default.
    let sim = simulator(SimConfig {
        default_activity: None,
        ..small()
    })
    .await;
    let key = sim.config().integration_key.clone();
    let redmine = connector(&sim, &key, OnBehalf::UserId);
    let error = redmine
        .test()
        .await
        .expect_err("no activity to write under");
    assert!(
        matches!(&error, PmError::Rejected { message, .. }
            if message.contains("no default time-entry activity") && message.contains("Development")),
        "{error}"
    );
    let w = common::assigned_worklog(&redmine, day(), 60).await;
    assert!(redmine.create_worklog(&w).await.is_err());
    assert!(sim.time_entries().is_empty(), "nothing written");

    // With the activity chosen in the connection, entries are written under it.
    let mut config = RedmineConfig::new(&sim.base_url(), &key);
    config.activity_id = Some(9);
    let chosen = Redmine::new(config).expect("connector");
    chosen.test().await.expect("test passes with an activity");
    chosen.create_worklog(&w).await.expect("written");
    assert_eq!(sim.time_entries().len(), 1);
}
