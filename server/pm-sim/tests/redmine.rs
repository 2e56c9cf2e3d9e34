//! The Redmine simulator driven over HTTP, as HourBridge's connector drives it.

use hourbridge_dingtalk_sim::CompanySpec;
use hourbridge_pm_sim::redmine::{RedmineConfig, RedmineSim, RedmineUser};
use hourbridge_pm_sim::{Fault, FaultScope};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};

fn config() -> RedmineConfig {
    RedmineConfig {
        company: CompanySpec {
            people: 30,
            departments: 3,
            seed: 7,
            ..CompanySpec::default()
        },
        projects: 6,
        ..RedmineConfig::default()
    }
}

async fn start(config: RedmineConfig) -> RedmineSim {
    RedmineSim::start(config)
        .await
        .expect("the simulator starts")
}

fn url(sim: &RedmineSim, path: &str) -> String {
    format!("{}{path}", sim.base_url())
}

/// The non-admin integration key on a request.
fn integration(sim: &RedmineSim, request: RequestBuilder) -> RequestBuilder {
    request.header("X-Redmine-API-Key", &sim.config().integration_key)
}

fn admin(sim: &RedmineSim, request: RequestBuilder) -> RequestBuilder {
    request.header("X-Redmine-API-Key", &sim.config().admin_key)
}

/// The status, the body as JSON (`Null` when empty) and the response headers.
async fn answer(request: RequestBuilder) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let response = request.send().await.expect("an answer");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, body, headers)
}

/// An active person, an open issue assigned to them, in a project they belong to.
fn person_with_issue(sim: &RedmineSim) -> (RedmineUser, u64, u64) {
    let dir = sim.directory();
    let issue = dir
        .issues
        .iter()
        .find(|i| i.assigned_to.is_some() && !i.status.is_closed)
        .expect("an assigned open issue");
    let user = dir.user(issue.assigned_to.unwrap()).unwrap().clone();
    (user, issue.id, issue.project_id)
}

fn entry_body(issue: u64, user: u64, day: &str, hours: Value, marker: &str) -> Value {
    json!({"time_entry": {
        "issue_id": issue, "spent_on": day, "hours": hours, "user_id": user,
        "comments": format!("出勤折算 [{marker}]"),
        "custom_fields": [{"id": 7, "value": marker}],
    }})
}

#[tokio::test]
async fn time_entries_are_created_listed_updated_and_deleted() {
    let sim = start(config()).await;
    let http = Client::new();
    let (user, issue, project) = person_with_issue(&sim);

    let body = entry_body(
        issue,
        user.id,
        "2026-03-02",
        json!(7.456),
        "hb:a:2026-03-02",
    );
    let (status, created, headers) =
        answer(integration(&sim, http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let entry = &created["time_entry"];
    let id = entry["id"].as_u64().unwrap();
    assert_eq!(
        headers["location"].to_str().unwrap(),
        format!("{}/time_entries/{id}", sim.base_url()),
        "absolute, without .json, as Rails' time_entry_url"
    );
    assert_eq!(
        headers["content-type"].to_str().unwrap(),
        "application/json; charset=utf-8"
    );
    assert_eq!(entry["hours"], 7.46);
    assert_eq!(entry["issue"]["id"], issue);
    assert_eq!(entry["project"]["id"], project);
    assert_eq!(entry["user"]["id"], user.id);
    assert_eq!(entry["user"]["name"], user.name());
    assert_eq!(entry["activity"]["name"], "Development");
    assert_eq!(entry["spent_on"], "2026-03-02");
    assert_eq!(entry["custom_fields"][0]["name"], "HourBridge ID");
    assert_eq!(entry["custom_fields"][0]["value"], "hb:a:2026-03-02");
    assert!(entry.get("author").is_none());
    let held = sim.time_entries();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].author_id, 2, "the caller stays the author");

    // Hours as strings.
    for (hours, expected) in [("1:30", 1.5), ("1h30m", 1.5), ("1.5", 1.5)] {
        let body = entry_body(issue, user.id, "2026-03-03", json!(hours), "hb:b");
        let (status, created, _) =
            answer(integration(&sim, http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["time_entry"]["hours"], expected);
    }

    // List for the person over a range; the cf filter finds the first one.
    let range = [
        ("user_id", user.id.to_string()),
        ("from", "2026-03-01".to_owned()),
        ("to", "2026-03-31".to_owned()),
        ("limit", "100".to_owned()),
    ];
    let (status, listed, _) =
        answer(integration(&sim, http.get(url(&sim, "/time_entries.json"))).query(&range)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed["total_count"], 4);
    assert_eq!(listed["time_entries"][0]["spent_on"], "2026-03-03");
    let (_, found, _) = answer(
        integration(&sim, http.get(url(&sim, "/time_entries.json")))
            .query(&[("cf_7", "hb:a:2026-03-02")]),
    )
    .await;
    assert_eq!(found["total_count"], 1);
    assert_eq!(found["time_entries"][0]["id"], id);
    let (_, one_day, _) = answer(
        integration(&sim, http.get(url(&sim, "/time_entries.json")))
            .query(&[("spent_on", "2026-03-02"), ("issue_id", &issue.to_string())]),
    )
    .await;
    assert_eq!(one_day["total_count"], 1);

    // Update: 204, empty.
    let path = format!("/time_entries/{id}.json");
    let (status, body, _) = answer(
        integration(&sim, http.put(url(&sim, &path)))
            .json(&json!({"time_entry": {"hours": 8, "comments": "changed"}})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (status, shown, _) = answer(integration(&sim, http.get(url(&sim, &path)))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["time_entry"]["hours"], 8.0);
    assert_eq!(shown["time_entry"]["comments"], "changed");
    assert_eq!(
        shown["time_entry"]["custom_fields"][0]["value"],
        "hb:a:2026-03-02"
    );

    // Delete: 204, then 404 with an empty body.
    let (status, _, _) = answer(integration(&sim, http.delete(url(&sim, &path)))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body, _) = answer(integration(&sim, http.get(url(&sim, &path)))).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, Value::Null));
    assert_eq!(sim.time_entries().len(), 3);
    assert_eq!(sim.stats().writes, 6);
    assert_eq!(sim.stats().calls_to("PUT /time_entries/{id}.json"), 1);
}

#[tokio::test]
async fn lists_page_with_offset_limit_and_total_count() {
    let sim = start(config()).await;
    let http = Client::new();
    let get =
        |path: &str, query: &[(&str, &str)]| admin(&sim, http.get(url(&sim, path))).query(query);
    let (status, page, _) = answer(get("/projects.json", &[("limit", "4")])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total_count"], 6);
    assert_eq!(page["projects"].as_array().unwrap().len(), 4);
    let (_, rest, _) = answer(get("/projects.json", &[("limit", "4"), ("offset", "4")])).await;
    assert_eq!(rest["projects"].as_array().unwrap().len(), 2);
    assert_eq!(rest["offset"], 4);
    let (_, default, _) = answer(get(
        "/projects.json",
        &[("limit", "0"), ("include", "time_entry_activities")],
    ))
    .await;
    assert_eq!(default["limit"], 25);
    assert_eq!(
        default["projects"][0]["time_entry_activities"][1]["name"],
        "Development"
    );
    let (_, big, _) = answer(get("/users.json", &[("limit", "1000")])).await;
    assert_eq!(big["limit"], 100);
    let active = sim
        .directory()
        .users
        .iter()
        .filter(|u| u.is_active())
        .count();
    assert_eq!(big["total_count"], active);
    let (_, all, _) = answer(get("/users.json", &[("status", "")])).await;
    assert_eq!(all["total_count"], sim.directory().users.len());

    // Issues: open by default, `*`, `closed`, by assignee.
    let (user, _, project) = person_with_issue(&sim);
    let identifier = &sim.directory().project_by_id(project).unwrap().identifier;
    let assignee = user.id.to_string();
    let issues = |status: &'static str| {
        get(
            "/issues.json",
            &[
                ("project_id", identifier),
                ("assigned_to_id", &assignee),
                ("status_id", status),
            ],
        )
    };
    let (_, open, _) = answer(issues("open")).await;
    let (_, closed, _) = answer(issues("closed")).await;
    let (_, any, _) = answer(issues("*")).await;
    let n = |v: &Value| v["total_count"].as_u64().unwrap();
    assert!(n(&open) >= 1);
    assert_eq!(n(&open) + n(&closed), n(&any));
    assert_eq!(open["issues"][0]["assigned_to"]["id"], user.id);
    assert_eq!(open["issues"][0]["status"]["is_closed"], false);

    let (_, activities, _) = answer(get("/enumerations/time_entry_activities.json", &[])).await;
    let names: Vec<&str> = activities["time_entry_activities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, ["Design", "Development", "Meeting"]);
}

#[tokio::test]
async fn auth_failures_have_empty_bodies() {
    let sim = start(config()).await;
    let http = Client::new();
    let (status, body, headers) = answer(http.get(url(&sim, "/users/current.json"))).await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, Value::Null));
    assert_eq!(headers["www-authenticate"], "Basic realm=\"Redmine API\"");
    // A wrong key is the anonymous user: lists answer (with nothing in them),
    // what needs a login is 401.
    let wrong = "0123456789abcdef0123456789abcdef01234567";
    let (status, projects, _) = answer(
        http.get(url(&sim, "/projects.json"))
            .header("X-Redmine-API-Key", wrong),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(projects["total_count"], 0);
    let (status, body, _) = answer(
        http.get(url(&sim, "/users.json"))
            .header("X-Redmine-API-Key", wrong),
    )
    .await;
    assert_eq!((status, body), (StatusCode::UNAUTHORIZED, Value::Null));
    assert_eq!(sim.stats().unauthorized, 2);

    // ?key= and Basic with the key as user name work too.
    let key = sim.config().integration_key.clone();
    let (status, me, _) = answer(
        http.get(url(&sim, "/users/current.json"))
            .query(&[("key", &key)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["login"], "hourbridge");
    assert_eq!(me["user"]["api_key"], key);
    let (status, _, _) = answer(
        http.get(url(&sim, "/users/current.json"))
            .basic_auth(&key, Some("x")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // /users.json is for administrators.
    let (status, body, _) = answer(integration(&sim, http.get(url(&sim, "/users.json")))).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, Value::Null));
    let person = sim.directory().people().next().unwrap().clone();
    let needle = person.mail.to_uppercase();
    let (status, found, _) =
        answer(admin(&sim, http.get(url(&sim, "/users.json"))).query(&[("name", &needle)])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(found["users"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["mail"] == person.mail.as_str()));
    assert_eq!(found["users"][0]["lastname"], person.lastname.as_str());

    // 404 for unknown ids and other formats.
    let (status, body, _) = answer(admin(&sim, http.get(url(&sim, "/users/999999.json")))).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, Value::Null));
    let (status, _, _) = answer(admin(&sim, http.get(url(&sim, "/users/5.xml")))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, one, _) = answer(admin(&sim, http.get(url(&sim, "/users/5.json")))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["user"]["id"], 5);
}

#[tokio::test]
async fn switch_user_is_for_administrators_and_refuses_unknown_logins() {
    let sim = start(config()).await;
    let http = Client::new();
    let (user, issue, _) = person_with_issue(&sim);
    let (status, me, _) = answer(
        admin(&sim, http.get(url(&sim, "/users/current.json")))
            .header("X-Redmine-Switch-User", &user.login),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["id"], user.id);
    // Ignored for a non-admin key.
    let (_, me, _) = answer(
        integration(&sim, http.get(url(&sim, "/users/current.json")))
            .header("X-Redmine-Switch-User", &user.login),
    )
    .await;
    assert_eq!(me["user"]["login"], "hourbridge");
    // Unknown and locked logins: 412, empty.
    let (status, body, _) = answer(
        admin(&sim, http.get(url(&sim, "/users/current.json")))
            .header("X-Redmine-Switch-User", "nobody-here"),
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::PRECONDITION_FAILED, Value::Null)
    );
    if let Some(locked) = sim.directory().people().find(|u| !u.is_active()) {
        let (status, _, _) = answer(
            admin(&sim, http.get(url(&sim, "/users/current.json")))
                .header("X-Redmine-Switch-User", &locked.login),
        )
        .await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    }
    // An entry logged as the person is theirs, authored by them.
    let body = json!({"time_entry": {"issue_id": issue, "hours": 2, "spent_on": "2026-03-04"}});
    let (status, created, _) = answer(
        admin(&sim, http.post(url(&sim, "/time_entries.json")))
            .header("X-Redmine-Switch-User", &user.login)
            .json(&body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["time_entry"]["user"]["id"], user.id);
    assert_eq!(sim.time_entries()[0].author_id, user.id);
    // "me" in a listing is the switched-to user.
    let (_, mine, _) = answer(
        admin(&sim, http.get(url(&sim, "/time_entries.json")))
            .header("X-Redmine-Switch-User", &user.login)
            .query(&[("user_id", "me")]),
    )
    .await;
    assert_eq!(mine["total_count"], 1);
}

#[tokio::test]
async fn invalid_entries_get_422_with_redmine_messages() {
    let sim = start(RedmineConfig {
        max_hours_per_day: Some(8.0),
        accept_zero_hours: false,
        accept_future_dates: false,
        ..config()
    })
    .await;
    let http = Client::new();
    let (user, issue, project) = person_with_issue(&sim);
    let post =
        |body: Value| integration(&sim, http.post(url(&sim, "/time_entries.json"))).json(&body);
    let errors = |v: &Value| -> Vec<String> {
        v["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let cases = [
        (
            json!({"hours": 1, "spent_on": "2026-03-02"}),
            "Project cannot be blank",
        ),
        (
            json!({"project_id": "erp", "hours": 1}),
            "Project is invalid",
        ),
        (json!({"issue_id": 999999, "hours": 1}), "Issue is invalid"),
        (json!({"issue_id": issue, "hours": 0}), "Hours is invalid"),
        (json!({"issue_id": issue, "hours": -1}), "Hours is invalid"),
        (
            json!({"issue_id": issue, "hours": 1, "activity_id": ""}),
            "Activity cannot be blank",
        ),
        (
            json!({"issue_id": issue, "hours": 1, "spent_on": "2026-13-45"}),
            "Date is not a valid date",
        ),
        (
            json!({"issue_id": issue, "hours": "abc"}),
            "Hours is invalid",
        ),
        (json!({"issue_id": issue}), "Hours cannot be blank"),
        (
            json!({"issue_id": issue, "hours": 1, "activity_id": 99}),
            "Activity is not included in the list",
        ),
        (
            json!({"issue_id": issue, "hours": 1, "comments": "x".repeat(1025)}),
            "Comment is too long (maximum is 1024 characters)",
        ),
        (
            json!({"issue_id": issue, "hours": 1, "spent_on": "2999-01-01"}),
            "Cannot log time on a future date",
        ),
        (
            json!({"issue_id": issue, "hours": 1, "user_id": 999999}),
            "User is invalid",
        ),
    ];
    for (entry, message) in cases {
        let (status, body, _) = answer(post(json!({ "time_entry": entry }))).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}: {body}"
        );
        assert!(
            errors(&body).iter().any(|e| e == message),
            "{message}: {body}"
        );
    }
    // A numeric project id works without an issue.
    let (status, _, _) = answer(post(
        json!({"time_entry": {"project_id": project, "hours": 7.5, "spent_on": "2026-03-02", "user_id": user.id}}),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // The daily cap.
    let (status, body, _) = answer(post(
        json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-02", "user_id": user.id}}),
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        errors(&body),
        ["Cannot log more than 8:00 hours on the same day (7:30 hours have already been logged)"]
    );
    // Every message, in Redmine's order.
    let (_, body, _) = answer(post(json!({"time_entry": {"issue_id": 999999}}))).await;
    assert_eq!(
        errors(&body),
        [
            "Project cannot be blank",
            "Hours cannot be blank",
            "Project is invalid",
            "Issue is invalid"
        ]
    );
    let (_, body, _) = answer(post(json!({"time_entry": {
        "issue_id": issue, "hours": "abc", "spent_on": "bad", "comments": "x".repeat(1025)}})))
    .await;
    assert_eq!(
        errors(&body),
        [
            "Date cannot be blank",
            "Hours is invalid",
            "Comment is too long (maximum is 1024 characters)",
            "Date is not a valid date"
        ]
    );
    // A non-member may not be logged for.
    let outsider = sim
        .directory()
        .people()
        .find(|u| {
            u.is_active()
                && sim
                    .directory()
                    .project_by_id(project)
                    .unwrap()
                    .member(u.id)
                    .is_none()
        })
        .unwrap()
        .id;
    let (status, body, _) = answer(post(
        json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-03", "user_id": outsider}}),
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&body), ["User is invalid"]);
    // A plain member may not log for others (no permission), nor edit others' entries.
    let (status, body, _) = answer(
        admin(&sim, http.post(url(&sim, "/time_entries.json")))
            .header("X-Redmine-Switch-User", &user.login)
            .json(&json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-05", "user_id": 2}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&body), ["User is invalid"]);
    let not_json = integration(&sim, http.post(url(&sim, "/time_entries.json")))
        .header("content-type", "application/json")
        .body("{nope");
    let (status, _, _) = answer(not_json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(sim.time_entries().len(), 1);
}

#[tokio::test]
async fn the_custom_field_filters_only_when_it_is_a_filter() {
    let sim = start(RedmineConfig {
        custom_field_id: 12,
        custom_field_filterable: false,
        ..config()
    })
    .await;
    let http = Client::new();
    let (user, issue, _) = person_with_issue(&sim);
    for marker in ["hb:1", "hb:2"] {
        let body = json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-02",
            "user_id": user.id, "custom_fields": [{"id": 12, "value": marker}, {"id": 7, "value": "dropped"}]}});
        let (status, created, _) =
            answer(integration(&sim, http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(created["time_entry"]["custom_fields"][0]["id"], 12);
    }
    let (_, listed, _) = answer(
        integration(&sim, http.get(url(&sim, "/time_entries.json"))).query(&[("cf_12", "hb:1")]),
    )
    .await;
    assert_eq!(listed["total_count"], 2, "not a filter: ignored");
    assert!(sim
        .time_entries()
        .iter()
        .all(|e| !e.custom_fields.contains_key(&7)));
}

#[tokio::test]
async fn drop_after_write_commits_without_answering() {
    let sim = start(config()).await;
    let http = Client::new();
    let (user, issue, _) = person_with_issue(&sim);
    sim.faults().inject(
        Fault::DropAfterWrite,
        FaultScope::path("POST /time_entries.json", 1),
    );
    let body = entry_body(issue, user.id, "2026-03-02", json!(8), "hb:drop");
    let outcome = integration(&sim, http.post(url(&sim, "/time_entries.json")))
        .json(&body)
        .send()
        .await;
    assert!(outcome.is_err(), "no answer: {outcome:?}");
    assert_eq!(sim.time_entries().len(), 1, "the write was committed");
    let stats = sim.stats();
    assert_eq!((stats.dropped_after_write, stats.writes), (1, 1));
    let (_, found, _) = answer(
        integration(&sim, http.get(url(&sim, "/time_entries.json"))).query(&[("cf_7", "hb:drop")]),
    )
    .await;
    assert_eq!(found["total_count"], 1);
    // The admin route lists it too.
    let (status, held, _) = answer(http.get(url(&sim, "/_sim/time-entries"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(held[0]["custom_fields"]["7"], "hb:drop");
}

#[tokio::test]
async fn a_share_of_write_answers_is_dropped_from_the_seed() {
    let run = |seed: u64| async move {
        let sim = start(RedmineConfig {
            drop_after_write_ratio: 0.3,
            drop_after_write_seed: seed,
            ..config()
        })
        .await;
        let http = Client::new();
        let (user, issue, _) = person_with_issue(&sim);
        let mut dropped = Vec::new();
        for day in 1..=28 {
            let marker = format!("hb:u:2026-02-{day:02}:{issue}");
            let body = entry_body(
                issue,
                user.id,
                &format!("2026-02-{day:02}"),
                json!(1),
                &marker,
            );
            let outcome = integration(&sim, http.post(url(&sim, "/time_entries.json")))
                .json(&body)
                .send()
                .await;
            match outcome {
                Ok(response) => assert_eq!(response.status(), StatusCode::CREATED),
                Err(_) => dropped.push(day),
            }
            // Reads and refused writes are always answered.
            let (status, _, _) =
                answer(integration(&sim, http.get(url(&sim, "/time_entries.json")))).await;
            assert_eq!(status, StatusCode::OK);
            let refused = entry_body(issue, user.id, "2026-02-01", json!(-1), "hb:x:2026-02-01:1");
            let (status, _, _) = answer(
                integration(&sim, http.post(url(&sim, "/time_entries.json"))).json(&refused),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        assert_eq!(sim.time_entries().len(), 28, "every write was committed");
        let stats = sim.stats();
        assert_eq!(stats.dropped_after_write, dropped.len() as u64);
        assert_eq!(stats.faults_served, 0, "no injected fault involved");
        dropped
    };
    let first = run(11).await;
    assert!((3..=16).contains(&first.len()), "about 30 %: {first:?}");
    assert_eq!(run(11).await, first, "the same seed drops the same writes");
}

#[tokio::test]
async fn redmine_defaults_accept_zero_hours_and_future_days_but_people_may_not_edit() {
    let sim = start(config()).await;
    let http = Client::new();
    let (user, issue, _) = person_with_issue(&sim);
    let as_person =
        |request: RequestBuilder| admin(&sim, request).header("X-Redmine-Switch-User", &user.login);
    // 0 hours and a day far ahead are accepted; comments and the field stay
    // null until written; 1000 hours hit the default daily cap of 999.
    let body = json!({"time_entry": {"issue_id": issue, "hours": 0, "spent_on": "2999-01-01"}});
    let (status, created, _) =
        answer(as_person(http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["time_entry"]["hours"], 0.0);
    assert_eq!(created["time_entry"]["comments"], Value::Null);
    assert_eq!(
        created["time_entry"]["custom_fields"][0]["value"],
        Value::Null
    );
    let body = json!({"time_entry": {"issue_id": issue, "hours": 1000, "spent_on": "2026-03-02"}});
    let (status, refused, _) =
        answer(as_person(http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["errors"][0],
        "Cannot log more than 999:00 hours on the same day (0:00 hours have already been logged)"
    );
    // The person (Developer-like role) may neither change nor delete it.
    let path = format!("/time_entries/{}.json", created["time_entry"]["id"]);
    let change = json!({"time_entry": {"hours": 2}});
    let (status, _, _) = answer(as_person(http.put(url(&sim, &path))).json(&change)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = answer(as_person(http.delete(url(&sim, &path)))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The administrator may.
    let (status, _, _) = answer(admin(&sim, http.put(url(&sim, &path))).json(&change)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // With *Edit own time logs* the person may.
    let sim = start(RedmineConfig {
        members_edit_own_entries: true,
        default_activity: None,
        ..config()
    })
    .await;
    let as_person =
        |request: RequestBuilder| admin(&sim, request).header("X-Redmine-Switch-User", &user.login);
    // Without a default activity, one must be sent.
    let body = json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-02"}});
    let (status, refused, _) =
        answer(as_person(http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["errors"], json!(["Activity cannot be blank"]));
    let body = json!({"time_entry": {"issue_id": issue, "hours": 1, "spent_on": "2026-03-02", "activity_id": 8}});
    let (status, created, _) =
        answer(as_person(http.post(url(&sim, "/time_entries.json"))).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let path = format!("/time_entries/{}.json", created["time_entry"]["id"]);
    let (status, _, _) = answer(as_person(http.put(url(&sim, &path))).json(&change)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, activities, _) = answer(admin(
        &sim,
        http.get(url(&sim, "/enumerations/time_entry_activities.json")),
    ))
    .await;
    assert!(activities["time_entry_activities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["is_default"] == false));
}

#[tokio::test]
async fn users_are_found_as_redmine_finds_them() {
    let sim = start(config()).await;
    let http = Client::new();
    let find = |name: &str| {
        admin(&sim, http.get(url(&sim, "/users.json"))).query(&[("name", name), ("limit", "100")])
    };
    let person = sim
        .directory()
        .people()
        .find(|u| u.is_active() && u.firstname.chars().count() >= 1)
        .unwrap()
        .clone();
    let logins = |v: &Value| -> Vec<String> {
        v["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["login"].as_str().unwrap().to_owned())
            .collect()
    };
    // Family and given name with a space, either order: found.
    for name in [
        format!("{} {}", person.lastname, person.firstname),
        format!("{} {}", person.firstname, person.lastname),
    ] {
        let (_, found, _) = answer(find(&name)).await;
        assert!(logins(&found).contains(&person.login), "{name}");
    }
    // The Chinese name as written (no space) is neither name: nobody.
    let (_, found, _) = answer(find(&person.name())).await;
    assert!(!logins(&found).contains(&person.login));
    // The list shows admin and mail, not status nor the API key.
    let (_, found, _) = answer(find(&person.mail)).await;
    let listed = &found["users"][0];
    assert_eq!(listed["mail"], person.mail.as_str());
    assert_eq!(listed["admin"], false);
    assert!(listed.get("status").is_none() && listed.get("api_key").is_none());
    // A non-admin sees no mail of others.
    let (_, one, _) = answer(integration(
        &sim,
        http.get(url(&sim, &format!("/users/{}.json", person.id))),
    ))
    .await;
    assert!(one["user"].get("mail").is_none());
}

#[tokio::test]
async fn authentication_required_and_a_disabled_api() {
    let http = Client::new();
    let sim = start(RedmineConfig {
        login_required: true,
        ..config()
    })
    .await;
    let (status, _, headers) = answer(http.get(url(&sim, "/projects.json"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["www-authenticate"], "Basic realm=\"Redmine API\"");
    let (status, _, _) = answer(admin(&sim, http.get(url(&sim, "/projects.json")))).await;
    assert_eq!(status, StatusCode::OK);

    // REST API off: keys are ignored, and what needs a login is 403.
    let sim = start(RedmineConfig {
        rest_api_enabled: false,
        ..config()
    })
    .await;
    let (status, body, _) = answer(admin(&sim, http.get(url(&sim, "/users/current.json")))).await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, Value::Null));
    let (status, projects, _) = answer(admin(&sim, http.get(url(&sim, "/projects.json")))).await;
    assert_eq!(
        (status, projects["total_count"].clone()),
        (StatusCode::OK, json!(0))
    );
}
