//! The DingTalk client against the simulator: every API, paging and batch
//! limits, token expiry mid-run, throttling and recovery, quota exhaustion,
//! malformed answers.

use chrono::{Days, NaiveDate};
use hourbridge_dingtalk::model::{day_start_ms, local_date};
use hourbridge_dingtalk::plan::{self, DayWindow};
use hourbridge_dingtalk::{ClientConfig, DingTalkClient, RetryPolicy, UpstreamError};
use hourbridge_dingtalk_sim::{CompanySpec, Fault, FaultScope, SimConfig, Simulator};
use std::time::Duration;

fn spec(people: usize, departments: usize) -> CompanySpec {
    CompanySpec {
        people,
        departments,
        ..CompanySpec::default()
    }
}

async fn sim_with(config: SimConfig) -> Simulator {
    Simulator::start(config).await.expect("simulator starts")
}

async fn sim(people: usize) -> Simulator {
    sim_with(SimConfig {
        company: spec(people, 4),
        ..SimConfig::default()
    })
    .await
}

/// The simulator's app, with back-off in milliseconds instead of seconds.
fn config_for(sim: &Simulator) -> ClientConfig {
    let mut config = ClientConfig::new(
        sim.config().app_key.clone(),
        sim.config().app_secret.clone(),
    )
    .with_base(&sim.base_url());
    config.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        ban_pause: Duration::from_millis(20),
    };
    config
}

fn client_for(sim: &Simulator) -> DingTalkClient {
    DingTalkClient::new(config_for(sim)).expect("client")
}

/// A full working week (Mon–Fri) a few weeks before the simulator's today.
fn recent_week(sim: &Simulator) -> (NaiveDate, NaiveDate) {
    let today = sim.company().today();
    let mut day = today - Days::new(21);
    while !sim.company().calendar().kind(day).is_working()
        || sim
            .company()
            .calendar()
            .kind(day - Days::new(1))
            .is_working()
    {
        day = day - Days::new(1);
    }
    (day, day + Days::new(6))
}

fn active_ids(sim: &Simulator, on: NaiveDate) -> Vec<String> {
    sim.company()
        .people()
        .iter()
        .filter(|p| p.employed_on(on))
        .map(|p| p.userid.clone())
        .collect()
}

#[tokio::test]
async fn the_directory_is_walked_as_a_tree_and_people_are_listed_once() {
    let sim = sim_with(SimConfig {
        company: spec(230, 9),
        ..SimConfig::default()
    })
    .await;
    let client = client_for(&sim);
    let directory = client.directory().await.expect("directory");
    let company = sim.company();
    assert_eq!(
        directory.organisation.as_deref(),
        Some(sim.config().org_name.as_str())
    );
    assert_eq!(
        directory.departments.len(),
        company.departments().len() - 1,
        "all but the root"
    );
    let expected: Vec<&str> = {
        let mut ids: Vec<&str> = company
            .people()
            .iter()
            .filter(|p| company.in_directory(p))
            .map(|p| p.userid.as_str())
            .collect();
        ids.sort();
        ids
    };
    let got: Vec<&str> = directory.users.iter().map(|u| u.userid.as_str()).collect();
    assert_eq!(got, expected, "each person once, every person");
    // Directory calls are free.
    assert_eq!(client.meter().billable(), 0);
    assert_eq!(sim.stats().billable, 0);
}

#[tokio::test]
async fn punch_results_over_a_long_range_and_many_people_are_complete() {
    let sim = sim(120).await;
    let client = client_for(&sim);
    let (first, _) = recent_week(&sim);
    let last = first + Days::new(15); // 16 days: more than two 7-day windows
    let users = active_ids(&sim, first);
    assert!(users.len() > 50, "needs more than one batch");
    let windows = plan::windows(first, last, 7);
    let got = client
        .punch_results_for(&users, &windows)
        .await
        .expect("results");
    let mut expected: Vec<i64> = users
        .iter()
        .flat_map(|u| sim.company().records(u, first..=last))
        .map(|r| r.id)
        .collect();
    expected.sort();
    let mut ids: Vec<i64> = got.iter().map(|r| r.id).collect();
    ids.sort();
    assert_eq!(ids, expected);
    assert!(got
        .iter()
        .all(|r| local_date(r.work_date).is_some_and(|d| first <= d && d <= last)));
    // Every page is a billable call, and the meter agrees with DingTalk's count.
    assert_eq!(client.meter().billable(), sim.stats().billable);
}

#[tokio::test]
async fn pages_end_exactly_at_fifty_records() {
    let sim = sim(80).await;
    let client = client_for(&sim);
    let (monday, _) = recent_week(&sim);
    let day = DayWindow {
        first: monday,
        last: monday,
    };
    // Find 25 people with both check points that day: exactly 50 records.
    let full_day: Vec<String> = active_ids(&sim, monday)
        .into_iter()
        .filter(|u| sim.company().records(u, monday..=monday).len() == 2)
        .take(26)
        .collect();
    assert_eq!(full_day.len(), 26);
    let before = sim.stats().calls_to("/attendance/list");
    let fifty = client
        .punch_results(&full_day[..25], day)
        .await
        .expect("50");
    assert_eq!(fifty.len(), 50);
    assert_eq!(
        sim.stats().calls_to("/attendance/list") - before,
        1,
        "one page"
    );
    let fifty_two = client.punch_results(&full_day, day).await.expect("52");
    assert_eq!(fifty_two.len(), 52);
    assert_eq!(
        sim.stats().calls_to("/attendance/list") - before,
        3,
        "then two pages"
    );
}

#[tokio::test]
async fn batches_beyond_the_limits_are_refused_before_calling() {
    let sim = sim(60).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let too_long = DayWindow {
        first,
        last: last + Days::new(1),
    };
    assert!(client.punch_results(&users[..10], too_long).await.is_err());
    assert!(client
        .punch_results(&users[..51], DayWindow { first, last })
        .await
        .is_err());
    assert_eq!(sim.stats().calls_to("/attendance/list"), 0);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_mid_run() {
    let sim = sim(60).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let window = DayWindow { first, last };
    client
        .punch_results(&users[..5], window)
        .await
        .expect("first");
    let issued = sim.stats().tokens_issued;
    sim.revoke_tokens();
    let again = client
        .punch_results(&users[..5], window)
        .await
        .expect("after revoke");
    assert!(!again.is_empty());
    assert_eq!(
        sim.stats().tokens_issued,
        issued + 1,
        "exactly one new token"
    );
    // Revoked in the middle of a call, too.
    sim.faults().inject(
        Fault::RevokeTokenNow,
        FaultScope::path("/attendance/list", 1),
    );
    client
        .punch_results(&users[..5], window)
        .await
        .expect("mid-call revoke");
    assert_eq!(sim.stats().tokens_issued, issued + 2);
}

#[tokio::test]
async fn a_token_that_stays_invalid_fails_after_one_retry() {
    let sim = sim(20).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    sim.faults().inject(
        Fault::RevokeTokenNow,
        FaultScope::path("/attendance/list", 2),
    );
    let error = client
        .punch_results(&users[..2], DayWindow { first, last })
        .await
        .expect_err("gives up");
    assert!(
        matches!(error, UpstreamError::TokenInvalid { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn throttling_backs_off_and_recovers() {
    let sim = sim(30).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    for fault in [Fault::Throttle, Fault::GlobalThrottle, Fault::Busy] {
        sim.faults()
            .inject(fault, FaultScope::path("/attendance/list", 1));
    }
    let got = client
        .punch_results(&users[..3], DayWindow { first, last })
        .await
        .expect("recovers");
    assert!(!got.is_empty());
    let count = client.meter().snapshot()["/attendance/list"];
    assert_eq!(count.throttled, 3);
    assert_eq!(count.billable, 1);
}

#[tokio::test]
async fn real_rate_limiting_by_the_simulator_is_recovered_from() {
    // DingTalk allows 4 calls/s here; the client believes 50/s.
    let sim = sim_with(SimConfig {
        company: spec(120, 4),
        qps_per_api: 4,
        ..SimConfig::default()
    })
    .await;
    let mut config = config_for(&sim);
    config.qps_per_api = 50;
    config.retry = RetryPolicy {
        max_retries: 8,
        base_delay: Duration::from_millis(100),
        ban_pause: Duration::from_millis(100),
    };
    let client = DingTalkClient::new(config).expect("client");
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let got = client
        .punch_results_for(&users, &[DayWindow { first, last }])
        .await
        .expect("all batches succeed in the end");
    assert!(!got.is_empty());
    assert!(sim.stats().throttled > 0, "the simulator did throttle");
    assert_eq!(client.meter().throttled(), sim.stats().throttled);
}

#[tokio::test]
async fn the_client_limiter_keeps_under_dingtalks_rate() {
    let sim = sim_with(SimConfig {
        company: spec(60, 3),
        qps_per_api: 10,
        ..SimConfig::default()
    })
    .await;
    let mut config = config_for(&sim);
    config.qps_per_api = 10;
    let client = DingTalkClient::new(config).expect("client");
    let (first, _) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let days: Vec<DayWindow> = (0..5)
        .map(|i| {
            let d = first + Days::new(i);
            DayWindow { first: d, last: d }
        })
        .collect();
    client
        .punch_results_for(&users[..20], &days)
        .await
        .expect("results");
    assert_eq!(sim.stats().throttled, 0);
    assert_eq!(client.meter().throttled(), 0);
}

#[tokio::test]
async fn gateway_errors_and_slow_answers_are_retried() {
    let sim = sim(20).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    sim.faults().inject(
        Fault::ServerError(502),
        FaultScope::path("/attendance/list", 2),
    );
    let got = client
        .punch_results(&users[..2], DayWindow { first, last })
        .await
        .expect("third try works");
    assert!(!got.is_empty());
}

#[tokio::test]
async fn a_timeout_is_reported_as_such() {
    let sim = sim(20).await;
    let mut config = config_for(&sim);
    config.timeout = Duration::from_millis(200);
    config.retry = RetryPolicy {
        max_retries: 1,
        base_delay: Duration::from_millis(5),
        ban_pause: Duration::from_millis(5),
    };
    let client = DingTalkClient::new(config).expect("client");
    client.check_credentials().await.expect("token first");
    sim.faults().inject(
        Fault::Slow(Duration::from_secs(3)),
        FaultScope::path("/attendance/list", 2),
    );
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let error = client
        .punch_results(&users[..2], DayWindow { first, last })
        .await
        .expect_err("times out twice");
    assert_eq!(error, UpstreamError::Timeout);
}

#[tokio::test]
async fn the_monthly_quota_stops_the_caller_with_its_reason() {
    let sim = sim_with(SimConfig {
        company: spec(20, 2),
        monthly_quota: 3,
        ..SimConfig::default()
    })
    .await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let window = DayWindow { first, last };
    for _ in 0..3 {
        client
            .punch_results(&users[..1], window)
            .await
            .expect("within quota");
    }
    let error = client
        .punch_results(&users[..1], window)
        .await
        .expect_err("quota used up");
    assert!(
        matches!(error, UpstreamError::QuotaExhausted { .. }),
        "{error:?}"
    );
    // Not retried: one refused call only.
    assert_eq!(sim.stats().quota_rejected, 1);
}

#[tokio::test]
async fn malformed_answers_name_the_path_and_never_panic() {
    let sim = sim(20).await;
    let client = client_for(&sim);
    let (first, last) = recent_week(&sim);
    let users = active_ids(&sim, first);
    let window = DayWindow { first, last };
    sim.faults()
        .inject(Fault::WrongShape, FaultScope::path("/attendance/list", 1));
    match client.punch_results(&users[..2], window).await {
        Err(UpstreamError::Malformed { path, snippet, .. }) => {
            // The simulator breaks one field's type; the error names that field.
            assert!(
                ["hasMore", "recordresult"].contains(&path.as_str()),
                "{path}"
            );
            assert!(snippet.contains(&format!("\"{path}\"")), "{snippet}");
        }
        other => panic!("expected a malformed answer, got {other:?}"),
    }
    sim.faults().inject(
        Fault::MalformedJson,
        FaultScope::path("/attendance/list", 1),
    );
    assert!(matches!(
        client.punch_results(&users[..2], window).await,
        Err(UpstreamError::Malformed { .. })
    ));
}

#[tokio::test]
async fn wrong_credentials_show_dingtalks_own_message() {
    let sim = sim(10).await;
    let config = ClientConfig {
        app_secret: "not-the-secret".into(),
        ..config_for(&sim)
    };
    let client = DingTalkClient::new(config).expect("client");
    match client.directory().await {
        Err(UpstreamError::Rejected { code, message }) => {
            assert_eq!(code, "40096");
            assert!(message.contains("不合法的appKey或appSecret"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn leave_status_day_details_and_holidays() {
    let sim = sim(150).await;
    let client = client_for(&sim);
    let (_, last) = recent_week(&sim);
    let first = last - Days::new(60);
    let users = active_ids(&sim, last);
    let leave = client
        .leave_status_for(&users, first, last)
        .await
        .expect("leave");
    let end = day_start_ms(last + Days::new(1)) - 1;
    let expected = sim.company().leave_status(&users, day_start_ms(first), end);
    assert_eq!(leave.len(), expected.len());
    assert!(
        !leave.is_empty(),
        "two months of 150 people include some leave"
    );

    // The day of one leave entry names its form in full.
    let entry = &leave[0];
    let day = local_date(entry.start_time).expect("date");
    let detail = client.user_day(&entry.userid, day).await.expect("day");
    assert!(!detail.approve_list.is_empty());
    assert!(detail.approve_list.iter().any(|a| a.biz_type == 3));

    let holidays = client
        .holidays(&users[..3], first, last)
        .await
        .expect("holidays");
    assert_eq!(holidays.len(), 3);
    assert!(holidays[0].holidays.iter().any(|h| matches!(
        h.holiday_type,
        hourbridge_dingtalk::model::HolidayType::Rest
    )));
}
