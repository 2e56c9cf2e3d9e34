//! The Redmine connector against a real Redmine (5.0), when one is given:
//! `TEST_REDMINE_URL` and `TEST_REDMINE_KEY` (an administrator's API key),
//! optionally `TEST_REDMINE_FIELD` (the "HourBridge ID" time-entry custom
//! field id). README.md says how to run one locally. Without them the test
//! says so and passes: CI has no Redmine.

mod common;

use chrono::{Duration, Local};
use hourbridge_pm::redmine::{OnBehalf, Redmine, RedmineConfig};
use hourbridge_pm::{Target, UserQuery};

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
        // Yesterday: a Redmine with *Accept time logs on future dates* off
        // (the default is on) refuses later days, judged in its time zone.
        let date = (Local::now() - Duration::days(1)).date_naive();
        let w = common::assigned_worklog(&redmine, date, 90).await;
        let written = common::round_trip(&redmine, &w).await;
        assert_eq!(
            written.person.as_deref(),
            Some(w.person.as_str()),
            "{on_behalf:?}"
        );
    }

    // Everyone can be found by e-mail and by the name HourBridge shows
    // (Chinese names too: Redmine searches names word by word).
    let redmine = Redmine::new(RedmineConfig::new(&url, &key)).expect("connector");
    let users = redmine
        .users()
        .await
        .expect("users (an administrator's key)");
    assert!(!users.is_empty());
    for user in users.iter().take(20) {
        let by_name = redmine
            .find_users(&UserQuery::Name(user.name.clone()))
            .await
            .expect("search by name");
        assert!(
            by_name.iter().any(|u| u.id == user.id),
            "{} by name",
            user.name
        );
        if let Some(mail) = &user.email {
            let by_mail = redmine
                .find_users(&UserQuery::Email(mail.to_uppercase()))
                .await
                .expect("search by e-mail");
            assert_eq!(by_mail.len(), 1, "{mail}");
            assert_eq!(by_mail[0].id, user.id);
        }
    }

    // A wrong key is refused, even for reads Redmine would answer as the
    // anonymous user.
    let wrong = Redmine::new(RedmineConfig::new(
        &url,
        "0123456789abcdef0123456789abcdef01234567",
    ))
    .expect("connector");
    let error = wrong
        .projects()
        .await
        .expect_err("a wrong key reads nothing");
    assert_eq!(error.reason(), "auth", "{error}");
}
