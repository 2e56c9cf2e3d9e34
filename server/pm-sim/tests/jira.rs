//! The Jira simulator driven over HTTP, as HourBridge's connector drives it.

use std::time::Duration;

use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm_sim::common::limits::RateLimit;
use hourbridge_pm_sim::jira::{JiraConfig, JiraSim};
use hourbridge_pm_sim::{Fault, FaultScope};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};

fn config() -> JiraConfig {
    JiraConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            seed: 7,
            ..CompanySpec::default()
        },
        projects: 6,
        rate_limit: RateLimit::OFF,
        updated_feed_lag: Duration::ZERO,
        ..JiraConfig::default()
    }
}

async fn start(config: JiraConfig) -> JiraSim {
    JiraSim::start(config).await.expect("the simulator starts")
}

/// The integration user's Cloud credentials on a request.
fn cloud(sim: &JiraSim, request: RequestBuilder) -> RequestBuilder {
    let account = &sim.config().accounts[0];
    request.basic_auth(&account.email, Some(&account.api_token))
}

fn v3(sim: &JiraSim, path: &str) -> String {
    format!("{}/rest/api/3{path}", sim.base_url())
}

fn v2(sim: &JiraSim, path: &str) -> String {
    format!("{}/rest/api/2{path}", sim.base_url())
}

async fn answer(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("an answer");
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body)
}

fn adf(text: &str) -> Value {
    json!({"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":text}]}]})
}

fn worklog_body(started: &str) -> Value {
    json!({
        "started": started,
        "timeSpentSeconds": 28800,
        "comment": adf("出勤折算 [hb:u0001:2026-03-02:X]"),
        "properties": [{"key": "hourbridge", "value": {"externalId": "hb:u0001:2026-03-02:X", "run": "r1"}}],
    })
}

#[tokio::test]
async fn a_worklog_is_created_listed_updated_and_deleted() {
    let sim = start(config()).await;
    let http = Client::new();
    let issue = sim.directory().issues[0].key.clone();
    let path = format!("/issue/{issue}/worklog");

    let (status, created) = answer(
        cloud(&sim, http.post(v3(&sim, &path)))
            .query(&[("adjustEstimate", "leave"), ("expand", "properties")])
            .json(&worklog_body("2026-03-02T09:00:00.000+0800")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["timeSpent"], "1d");
    assert_eq!(created["started"], "2026-03-02T09:00:00.000+0800");
    assert_eq!(created["properties"][0]["value"]["run"], "r1");
    let me = sim.directory().account_user(0).unwrap();
    assert_eq!(created["author"]["accountId"], me.account_id.as_str());
    let id = created["id"].as_str().unwrap().to_owned();

    // The author is always the caller, whatever the body says.
    let mut other = worklog_body("2026-03-03T09:00:00.000+0800");
    other["author"] = json!({"accountId": sim.directory().users[0].account_id});
    let (status, second) = answer(cloud(&sim, http.post(v3(&sim, &path))).json(&other)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["author"]["accountId"], me.account_id.as_str());
    assert!(second.get("properties").is_none());

    let (status, listed) =
        answer(cloud(&sim, http.get(v3(&sim, &path))).query(&[("expand", "properties")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["worklogs"][0]["id"], id.as_str());
    assert_eq!(listed["worklogs"][0]["properties"][0]["key"], "hourbridge");

    // startedAfter / startedBefore are epoch milliseconds.
    let march_3 = chrono::DateTime::parse_from_rfc3339("2026-03-03T00:00:00+08:00")
        .unwrap()
        .timestamp_millis();
    let (_, after) =
        answer(cloud(&sim, http.get(v3(&sim, &path))).query(&[("startedAfter", march_3)])).await;
    assert_eq!(after["total"], 1);
    let (_, before) =
        answer(cloud(&sim, http.get(v3(&sim, &path))).query(&[("startedBefore", march_3)])).await;
    assert_eq!(before["worklogs"][0]["id"], id.as_str());

    let (status, updated) = answer(
        cloud(&sim, http.put(v3(&sim, &format!("{path}/{id}"))))
            .query(&[("adjustEstimate", "leave")])
            .json(&json!({"timeSpent": "3h 20m"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["timeSpentSeconds"], 12000);
    assert_eq!(updated["started"], "2026-03-02T09:00:00.000+0800");

    // The same worklog read through Data Center's v2: plain comment, name/key.
    let account = &sim.config().accounts[0];
    let (status, dc) = answer(
        http.get(v2(&sim, &format!("{path}/{id}")))
            .basic_auth(&account.login, Some(&account.password)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dc["comment"], "出勤折算 [hb:u0001:2026-03-02:X]");
    assert_eq!(dc["author"]["name"], account.login.as_str());

    let (status, _) = answer(cloud(&sim, http.delete(v3(&sim, &format!("{path}/{id}"))))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, missing) =
        answer(cloud(&sim, http.delete(v3(&sim, &format!("{path}/{id}"))))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing["errorMessages"][0].is_string());

    let held = sim.worklogs();
    assert_eq!(held.len(), 1);
    assert_eq!(sim.stats().writes, 4);
    let (status, deleted) =
        answer(cloud(&sim, http.get(v3(&sim, "/worklog/deleted"))).query(&[("since", 0)])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        deleted["values"][0]["worklogId"].as_u64(),
        Some(id.parse().unwrap())
    );
    let (_, changed) = answer(
        cloud(&sim, http.get(v3(&sim, "/worklog/updated")))
            .query(&[("since", "0"), ("expand", "properties")]),
    )
    .await;
    assert_eq!(changed["values"].as_array().unwrap().len(), 1);
    assert_eq!(changed["lastPage"], true);
    let (_, by_id) = answer(
        cloud(&sim, http.post(v3(&sim, "/worklog/list"))).json(&json!({"ids": [held[0].id]})),
    )
    .await;
    assert_eq!(by_id[0]["id"], held[0].id.to_string());
}

#[tokio::test]
async fn worklog_properties_are_read_written_and_deleted() {
    let sim = start(config()).await;
    let http = Client::new();
    let issue = sim.directory().issues[1].key.clone();
    let (_, created) = answer(
        cloud(
            &sim,
            http.post(v3(&sim, &format!("/issue/{issue}/worklog"))),
        )
        .json(&worklog_body("2026-03-02T09:00:00.000+0800")),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    let base = format!("/issue/{issue}/worklog/{id}/properties");
    let put = |value: Value| cloud(&sim, http.put(v3(&sim, &format!("{base}/extra")))).json(&value);
    assert_eq!(answer(put(json!({"a": 1}))).await.0, StatusCode::CREATED);
    assert_eq!(answer(put(json!({"a": 2}))).await.0, StatusCode::OK);
    let (_, keys) = answer(cloud(&sim, http.get(v3(&sim, &base)))).await;
    assert_eq!(keys["keys"].as_array().unwrap().len(), 2);
    let (_, one) = answer(cloud(&sim, http.get(v3(&sim, &format!("{base}/extra"))))).await;
    assert_eq!(one["value"]["a"], 2);
    let delete = cloud(&sim, http.delete(v3(&sim, &format!("{base}/extra"))));
    assert_eq!(answer(delete).await.0, StatusCode::NO_CONTENT);
    let (status, _) = answer(cloud(&sim, http.get(v3(&sim, &format!("{base}/extra"))))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn started_must_have_milliseconds_and_a_colon_less_offset() {
    let sim = start(config()).await;
    let http = Client::new();
    let path = format!("/issue/{}/worklog", sim.directory().issues[0].key);
    for bad in [
        "2026-03-02T09:00:00.000+08:00",
        "2026-03-02T01:00:00.000Z",
        "2026-03-02T09:00:00+0800",
    ] {
        let (status, body) =
            answer(cloud(&sim, http.post(v3(&sim, &path))).json(&worklog_body(bad))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(body["errors"]["started"].is_string(), "{body}");
        assert!(body["errorMessages"].is_array());
    }
    let mut both = worklog_body("2026-03-02T09:00:00.000+0800");
    both["timeSpent"] = json!("8h");
    let (status, body) = answer(cloud(&sim, http.post(v3(&sim, &path))).json(&both)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errors"]["timeLogged"].is_string());
    let (status, _) = answer(
        cloud(&sim, http.post(v3(&sim, &path)))
            .header("content-type", "application/json")
            .body("{not json"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = answer(
        cloud(&sim, http.post(v3(&sim, "/issue/NOPE-999/worklog")))
            .json(&worklog_body("2026-03-02T09:00:00.000+0800")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(sim.worklogs().is_empty());
}

#[tokio::test]
async fn wrong_credentials_are_401_and_an_observer_may_not_log_work() {
    let sim = start(config()).await;
    let http = Client::new();
    let (status, body) = answer(http.get(v3(&sim, "/myself"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["errorMessages"][0].is_string());
    let (status, _) = answer(
        http.get(v3(&sim, "/myself"))
            .basic_auth("hourbridge@corp.example", Some("wrong")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A Data Center password is not a Cloud API token.
    let (status, _) = answer(
        http.get(v3(&sim, "/myself"))
            .basic_auth("hourbridge", Some("sim-jira-password-0001")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, me) = answer(
        http.get(v2(&sim, "/myself"))
            .bearer_auth("sim-jira-pat-0001"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], "hourbridge");
    assert!(me["key"].is_string());
    let (_, me) = answer(cloud(&sim, http.get(v3(&sim, "/myself")))).await;
    assert!(me["accountId"].is_string());

    let observer = &sim.config().accounts[1];
    let path = format!("/issue/{}/worklog", sim.directory().issues[0].key);
    let (status, body) = answer(
        http.post(v3(&sim, &path))
            .basic_auth(&observer.email, Some(&observer.api_token))
            .json(&worklog_body("2026-03-02T09:00:00.000+0800")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errorMessages"][0]
        .as_str()
        .unwrap()
        .contains("permission"));
    assert!(sim.worklogs().is_empty());
    assert_eq!(sim.stats().unauthorized, 3);
}

#[tokio::test]
async fn searches_page_over_several_pages() {
    let sim = start(config()).await;
    let http = Client::new();
    let project = sim.directory().projects[0].key.clone();
    let expected: Vec<String> = sim
        .directory()
        .issues
        .iter()
        .filter(|i| i.project == 0)
        .map(|i| i.key.clone())
        .collect();
    assert!(expected.len() > 6, "a project with several pages");

    // Cloud search/jql: nextPageToken until the last page, where it is absent.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({"jql": format!("project = {project} ORDER BY key"), "fields": ["summary", "assignee"], "maxResults": 3});
        if let Some(t) = &token {
            body["nextPageToken"] = json!(t);
        }
        let (status, page) =
            answer(cloud(&sim, http.post(v3(&sim, "/search/jql"))).json(&body)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        for issue in page["issues"].as_array().unwrap() {
            seen.push(issue["key"].as_str().unwrap().to_owned());
            assert!(issue["fields"]["summary"].is_string());
        }
        match page.get("nextPageToken") {
            Some(t) => {
                assert_eq!(page["isLast"], false);
                token = Some(t.as_str().unwrap().to_owned());
            }
            None => {
                assert_eq!(page["isLast"], true);
                break;
            }
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(3));

    // Without fields: ids only. Unbounded: refused.
    let (_, ids) = answer(
        cloud(&sim, http.get(v3(&sim, "/search/jql")))
            .query(&[("jql", format!("project = {project}"))]),
    )
    .await;
    assert!(ids["issues"][0].get("key").is_none() && ids["issues"][0]["id"].is_string());
    let (status, _) =
        answer(cloud(&sim, http.get(v3(&sim, "/search/jql"))).query(&[("jql", "order by key")]))
            .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // DC search: startAt / total.
    let account = &sim.config().accounts[0];
    let (_, dc) = answer(
        http.get(v2(&sim, "/search"))
            .basic_auth(&account.login, Some(&account.password))
            .query(&[
                ("jql", format!("project={project}")),
                ("startAt", "3".into()),
                ("maxResults", "3".into()),
            ]),
    )
    .await;
    assert_eq!(dc["total"].as_u64(), Some(expected.len() as u64));
    assert_eq!(dc["issues"][0]["key"], expected[3].as_str());
    assert!(
        dc["issues"][0]["fields"]["assignee"].get("name").is_some()
            || dc["issues"][0]["fields"]["assignee"].is_null()
    );

    // Projects: paged on Cloud, a plain array on DC.
    let (_, first) =
        answer(cloud(&sim, http.get(v3(&sim, "/project/search"))).query(&[("maxResults", 4)]))
            .await;
    assert_eq!(first["total"], 6);
    assert_eq!(first["isLast"], false);
    let (_, second) = answer(
        cloud(&sim, http.get(v3(&sim, "/project/search")))
            .query(&[("startAt", 4), ("maxResults", 4)]),
    )
    .await;
    assert_eq!(second["values"].as_array().unwrap().len(), 2);
    assert_eq!(second["isLast"], true);
    let (_, all) = answer(http.get(v2(&sim, "/project")).bearer_auth(&account.pat)).await;
    assert_eq!(all.as_array().unwrap().len(), 6);

    // Users by e-mail prefix (Cloud) and username (DC).
    let person = &sim.directory().people()[4];
    let (_, found) =
        answer(cloud(&sim, http.get(v3(&sim, "/user/search"))).query(&[("query", &person.email)]))
            .await;
    assert_eq!(found[0]["accountId"], person.account_id.as_str());
    assert_eq!(found[0]["displayName"], person.display_name.as_str());
    let (_, found) = answer(
        http.get(v2(&sim, "/user/search"))
            .bearer_auth(&account.pat)
            .query(&[("username", &person.name)]),
    )
    .await;
    assert_eq!(found[0]["key"], person.key.as_str());
    let (_, everyone) =
        answer(cloud(&sim, http.get(v3(&sim, "/users/search"))).query(&[("maxResults", 1000)]))
            .await;
    assert_eq!(everyone.as_array().unwrap().len(), 32);
}

#[tokio::test]
async fn the_old_cloud_search_is_gone() {
    let sim = start(config()).await;
    let (status, body) = answer(
        cloud(&sim, Client::new().get(v3(&sim, "/search"))).query(&[("jql", "project = CRM")]),
    )
    .await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body["errorMessages"][0]
        .as_str()
        .unwrap()
        .contains("/rest/api/3/search/jql"));
}

#[tokio::test]
async fn the_token_bucket_answers_429_with_retry_after() {
    let sim = start(JiraConfig {
        rate_limit: RateLimit {
            per_second: 1,
            burst: 3,
        },
        ..config()
    })
    .await;
    let http = Client::new();
    for _ in 0..3 {
        let response = cloud(&sim, http.get(v3(&sim, "/myself")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().contains_key("x-ratelimit-remaining"));
    }
    let response = cloud(&sim, http.get(v3(&sim, "/myself")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry));
    assert!(response.headers().contains_key("x-ratelimit-reset"));
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    assert_eq!(sim.stats().rate_limited, 1);

    // An injected burst of 429s, then normal answers again.
    let sim = start(config()).await;
    sim.faults().inject(
        Fault::TooManyRequests {
            retry_after_secs: 7,
        },
        FaultScope::path("/rest/api/3/myself", 2),
    );
    for _ in 0..2 {
        let response = cloud(&sim, http.get(v3(&sim, "/myself")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "7");
    }
    assert_eq!(
        answer(cloud(&sim, http.get(v3(&sim, "/myself")))).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn drop_after_write_commits_the_worklog_without_answering() {
    let sim = start(config()).await;
    let http = Client::new();
    let path = format!("/issue/{}/worklog", sim.directory().issues[0].key);
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /rest/api/3/issue/{issueIdOrKey}/worklog", 1),
    );
    let outcome = cloud(&sim, http.post(v3(&sim, &path)))
        .json(&worklog_body("2026-03-02T09:00:00.000+0800"))
        .send()
        .await;
    assert!(outcome.is_err(), "no answer: {outcome:?}");
    let held = sim.worklogs();
    assert_eq!(held.len(), 1, "the write was committed");
    assert_eq!(held[0].properties["hourbridge"]["run"], "r1");
    let stats = sim.stats();
    assert_eq!(stats.dropped_after_write, 1);
    assert_eq!(stats.writes, 1);
    // A client that lists before retrying finds it.
    let (_, listed) =
        answer(cloud(&sim, http.get(v3(&sim, &path))).query(&[("expand", "properties")])).await;
    assert_eq!(listed["total"], 1);
}

#[tokio::test]
async fn a_share_of_write_answers_is_dropped_from_the_seed() {
    let sim = start(JiraConfig {
        drop_after_write_ratio: 0.3,
        drop_after_write_seed: 11,
        ..config()
    })
    .await;
    let http = Client::new();
    let path = format!("/issue/{}/worklog", sim.directory().issues[0].key);
    let mut unanswered = 0;
    for day in 1..=28 {
        let outcome = cloud(&sim, http.post(v3(&sim, &path)))
            .json(&worklog_body(&format!(
                "2026-02-{day:02}T09:00:00.000+0800"
            )))
            .send()
            .await;
        match outcome {
            Ok(response) => assert_eq!(response.status(), StatusCode::CREATED),
            Err(_) => unanswered += 1,
        }
        // Reads and refused writes are always answered.
        let (status, _) = answer(cloud(&sim, http.get(v3(&sim, &path)))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) =
            answer(cloud(&sim, http.post(v3(&sim, &path))).json(&json!({"timeSpentSeconds": 60})))
                .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(sim.worklogs().len(), 28, "every write was committed");
    let stats = sim.stats();
    assert_eq!(stats.dropped_after_write, unanswered);
    assert!((3..=16).contains(&unanswered), "about 30 %: {unanswered}");
    assert_eq!(stats.faults_served, 0, "no injected fault involved");
}

#[tokio::test]
async fn faults_and_stats_are_reachable_over_admin_routes() {
    let sim = start(config()).await;
    let http = Client::new();
    let (status, _) = answer(
        http.post(format!("{}/_sim/faults", sim.base_url()))
            .json(&json!({"fault": "server_error", "status": 503, "path": "/rest/api/3/myself"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let response = cloud(&sim, http.get(v3(&sim, "/myself")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    http.post(format!("{}/_sim/faults", sim.base_url()))
        .json(&json!({"fault": "malformed_json", "times": 5}))
        .send()
        .await
        .unwrap();
    http.delete(format!("{}/_sim/faults", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(cloud(&sim, http.get(v3(&sim, "/myself")))).await.0,
        StatusCode::OK
    );
    let (_, stats) = answer(http.get(format!("{}/_sim/stats", sim.base_url()))).await;
    assert_eq!(stats["calls"]["GET /rest/api/3/myself"], 2);
    assert_eq!(stats["faults_served"], 1);
    let (_, worklogs) = answer(http.get(format!("{}/_sim/worklogs", sim.base_url()))).await;
    assert_eq!(worklogs, json!([]));
}
