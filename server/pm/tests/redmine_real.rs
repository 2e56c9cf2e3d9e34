//! The Redmine connector against a real Redmine (5.0), when one is given:
//! `TEST_REDMINE_URL` and `TEST_REDMINE_KEY` (an administrator's API key),
//! optionally `TEST_REDMINE_FIELD` (the "HourBridge ID" time-entry custom
//! field id). README.md says how to run one locally. Without them the test
//! says so and passes: CI has no Redmine.

mod common;

use chrono::{Duration, Local};
use hourbridge_pm::redmine::{OnBehalf, Redmine, RedmineConfig};
use hourbridge_pm::Target;

#[tokio::test]
async fn the_same_round_trip_on_a_real_redmine() {
    let (Ok(url), Ok(key)) = (
        std::env::var("TEST_REDMINE_URL"),
        std::env::var("TEST_REDMINE_KEY"),
    ) else {
        eprintln!("TEST_REDMINE_URL / TEST_REDMINE_KEY not set: real Redmine not tested");
        return;
    };
    for on_behalf in [OnBehalf::SwitchUser, OnBehalf::UserId] {
        let mut config = RedmineConfig::new(&url, &key);
        config.on_behalf = on_behalf;
        config.external_id_field = std::env::var("TEST_REDMINE_FIELD")
            .ok()
            .and_then(|f| f.parse().ok());
        let redmine = Redmine::new(config).expect("connector");
        let report = redmine.test().await.expect("the key works");
        assert!(!report.projects.is_empty(), "the key sees no project");
        // Redmine refuses future dates: log on yesterday.
        let date = (Local::now() - Duration::days(1)).date_naive();
        let w = common::assigned_worklog(&redmine, date, 90).await;
        let written = common::round_trip(&redmine, &w).await;
        assert_eq!(
            written.person.as_deref(),
            Some(w.person.as_str()),
            "{on_behalf:?}"
        );
    }
}
