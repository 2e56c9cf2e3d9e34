//! DingTalk connections end to end: add, test against the simulator, the
//! people it synced, secrets that never come back, and the event callback
//! endpoint with its refusals.

mod support;

use hourbridge_dingtalk::callback_crypto::CallbackCrypto;
use hourbridge_dingtalk_sim::{events, CompanySpec, PushSettings, SimConfig, Simulator};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        company: CompanySpec {
            people: 40,
            departments: 4,
            ..CompanySpec::default()
        },
        ..SimConfig::default()
    })
    .await
    .expect("simulator")
}

/// Adds a connection to `sim` as admin; answers the created JSON.
async fn add_connection(admin: &support::Client, sim: &Simulator, secret: &str) -> Value {
    add_connection_with(admin, sim, secret, &[]).await
}

/// Adds a connection to `sim` with extra form fields (e.g. the robot).
async fn add_connection_with(
    admin: &support::Client,
    sim: &Simulator,
    secret: &str,
    extra: &[(&str, &str)],
) -> Value {
    let base = sim.base_url();
    let mut form = vec![
        ("name", "总部"),
        ("corp_id", sim.config().corp_id.as_str()),
        ("app_key", sim.config().app_key.as_str()),
        ("app_secret", secret),
        ("oapi_base", base.as_str()),
        ("api_base", base.as_str()),
    ];
    form.extend_from_slice(extra);
    let (status, body) = admin.call_json("connections/create", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn path_of(url: &str) -> String {
    let start = url.find("/callbacks/").expect("callback path");
    url[start..].to_owned()
}

on_both_backends!(test_shows_the_organisation_and_syncs_the_people, |app| {
    let sim = simulator().await;
    let (admin, _) = app.admin().await;
    let created = add_connection(&admin, &sim, &sim.config().app_secret).await;
    let id = created["summary"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        created["callback"]["aes_key"].as_str().map(str::len),
        Some(43)
    );

    let (status, outcome) = admin.call_json("connections/test", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    let company = sim.company();
    let in_directory = company
        .people()
        .iter()
        .filter(|p| company.in_directory(p))
        .count();
    assert_eq!(outcome["ok"], json!(true), "{outcome}");
    assert_eq!(outcome["organisation"], json!(sim.config().org_name));
    assert_eq!(outcome["people"], json!(in_directory));
    assert_eq!(
        outcome["departments"],
        json!(company.departments().len() - 1)
    );

    let (_, list) = admin.call_json("connections/list", &[]).await;
    let listed = &list[0];
    assert_eq!(listed["people"], json!(in_directory));
    let text = list.to_string();
    assert!(
        !text.contains(&sim.config().app_secret),
        "the secret never comes back"
    );
    assert!(!text.contains(created["callback"]["aes_key"].as_str().expect("key")));

    let (status, people) = admin
        .call_json("people/list", &[("status", "active"), ("page", "1")])
        .await;
    assert_eq!(status, StatusCode::OK, "{people}");
    assert_eq!(people["page"]["active"], json!(in_directory));
    let first = &people["page"]["people"][0];
    assert!(first["departments"]
        .as_array()
        .is_some_and(|d| !d.is_empty()));

    // HR may read the people but not the connections.
    let hr = app.user_with_role(&admin, "hr.person", "hr").await;
    let (status, _) = hr.call_json("people/list", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = hr.call_json("connections/list", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

on_both_backends!(a_wrong_secret_shows_dingtalks_words, |app| {
    let sim = simulator().await;
    let (admin, _) = app.admin().await;
    let created = add_connection(&admin, &sim, "wrong-secret").await;
    let id = created["summary"]["id"].as_str().expect("id").to_owned();
    let (status, outcome) = admin.call_json("connections/test", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome["ok"], json!(false));
    let error = outcome["error"].as_str().unwrap_or_default();
    assert!(error.contains("不合法的appKey或appSecret"), "{error}");

    // Fixing the secret (other fields unchanged, secret re-entered) makes it work.
    let base = sim.base_url();
    let (status, body) = admin
        .call_json(
            "connections/update",
            &[
                ("id", &id),
                ("name", "总部"),
                ("corp_id", &sim.config().corp_id),
                ("app_key", &sim.config().app_key),
                ("app_secret", &sim.config().app_secret),
                ("oapi_base", &base),
                ("api_base", &base),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, outcome) = admin.call_json("connections/test", &[("id", &id)]).await;
    assert_eq!(outcome["ok"], json!(true), "{outcome}");
});

on_both_backends!(
    bad_connection_input_names_the_field_and_stores_nothing,
    |app| {
        let (admin, _) = app.admin().await;
        let (status, body) = admin
            .call_json(
                "connections/create",
                &[
                    ("name", ""),
                    ("corp_id", "ding corp"),
                    ("app_key", "k"),
                    ("app_secret", "s"),
                    ("oapi_base", "ftp://x"),
                    ("qps", "0"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = body["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert_eq!(fields, ["name", "corp_id", "oapi_base", "qps"]);
        let (_, list) = admin.call_json("connections/list", &[]).await;
        assert_eq!(list, json!([]));
    }
);

on_both_backends!(callbacks_are_verified_recorded_and_replays_refused, |app| {
    let sim = simulator().await;
    let (admin, _) = app.admin().await;
    let created = add_connection(&admin, &sim, &sim.config().app_secret).await;
    let url = format!(
        "{}{}",
        app.base,
        path_of(created["callback"]["callback_url"].as_str().expect("url"))
    );
    let settings = PushSettings {
        token: created["callback"]["token"].as_str().expect("token").into(),
        aes_key: created["callback"]["aes_key"].as_str().expect("key").into(),
        owner_key: sim.config().app_key.clone(),
    };

    let id = created["summary"]["id"].as_str().expect("id");
    let (_, outcome) = admin.call_json("connections/test", &[("id", id)]).await;
    assert_eq!(outcome["ok"], json!(true), "directory synced first");

    let check = sim
        .push_event(&url, &settings, events::check_url())
        .await
        .expect("push");
    assert!(check.accepted, "{check:?}");

    let company = sim.company();
    let person = company
        .people()
        .iter()
        .find(|p| company.in_directory(p))
        .expect("someone in the directory");
    let at = chrono::Utc::now().timestamp_millis();
    let punch = sim
        .push_event(
            &url,
            &settings,
            events::attendance_check_record(&sim.config().corp_id, &person.userid, at),
        )
        .await
        .expect("push");
    assert!(punch.accepted, "{punch:?}");
    let pulls = hourbridge_core::db::dingtalk_events::pending_pulls(&app.state.db, id)
        .await
        .expect("pulls");
    assert_eq!(pulls.len(), 1);
    assert_eq!(pulls[0].userid, person.userid);

    // A hand-made push: the same signed request twice is a replay.
    let crypto = CallbackCrypto::new(&settings.token, &settings.aes_key, &settings.owner_key)
        .expect("crypto");
    let stamp = chrono::Utc::now().timestamp_millis().to_string();
    let sealed = crypto.seal(
        &json!({"EventType":"user_leave_org","userId":[person.userid],"eventId":"e-1"}).to_string(),
        &stamp,
        "nonce-1",
    );
    let http = reqwest::Client::new();
    let send = |signature: String, stamp: String| {
        let http = http.clone();
        let url = url.clone();
        let body = json!({ "encrypt": sealed.encrypt });
        async move {
            http.post(format!(
                "{url}?msg_signature={signature}&timestamp={stamp}&nonce=nonce-1"
            ))
            .json(&body)
            .send()
            .await
            .expect("post")
        }
    };
    let first = send(sealed.signature.clone(), stamp.clone()).await;
    assert_eq!(first.status(), StatusCode::OK);
    let reply: Value = first.json().await.expect("reply");
    let opened = crypto
        .open(
            reply["msg_signature"].as_str().unwrap_or_default(),
            reply["timeStamp"].as_str().unwrap_or_default(),
            reply["nonce"].as_str().unwrap_or_default(),
            reply["encrypt"].as_str().unwrap_or_default(),
        )
        .expect("reply opens");
    assert_eq!(opened, "success");

    let replay = send(sealed.signature.clone(), stamp.clone()).await;
    assert_eq!(replay.status(), StatusCode::FORBIDDEN);
    let forged = send("0".repeat(40), stamp.clone()).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let old_stamp = (chrono::Utc::now().timestamp_millis() - 2 * 3_600_000).to_string();
    let old = crypto.seal("{\"EventType\":\"check_url\"}", &old_stamp, "nonce-1");
    let stale = http
        .post(format!(
            "{url}?msg_signature={}&timestamp={old_stamp}&nonce=nonce-1",
            old.signature
        ))
        .json(&json!({ "encrypt": old.encrypt }))
        .send()
        .await
        .expect("post");
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    let garbage = http
        .post(format!("{url}?msg_signature=x&timestamp={stamp}&nonce=n"))
        .body("not json")
        .send()
        .await
        .expect("post");
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let body: Value = garbage.json().await.expect("json error");
    assert_eq!(body["error"], json!("callback_refused"));

    // Each refusal is one audit entry; the leaver is marked as left.
    let (_, audit) = admin
        .call_json(
            "audit/page",
            &[("page", "1"), ("action", "callback_refused")],
        )
        .await;
    assert_eq!(audit["total"], json!(4), "{audit}");
    let (_, people) = admin.call_json("people/list", &[("status", "left")]).await;
    assert_eq!(people["page"]["left"], json!(1), "{people}");
    assert_eq!(people["page"]["people"][0]["userid"], json!(person.userid));
    let unknown = http
        .post(format!("{}/callbacks/dingtalk/nope", app.base))
        .json(&json!({"encrypt": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
});

/// Four weeks ending yesterday (the simulator has data up to today).
fn last_four_weeks(sim: &Simulator) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let today = sim.company().today();
    let last = today.pred_opt().expect("yesterday");
    let first = last - chrono::Duration::days(27);
    (first, last)
}

async fn stored_form_ids(app: &support::TestApp, table_sql: &str, id: &str) -> Vec<String> {
    let mut ids: Vec<String> = match &app.state.db {
        hourbridge_core::db::Db::Sqlite(pool) => {
            sqlx::query_scalar(table_sql).bind(id).fetch_all(pool).await
        }
        hourbridge_core::db::Db::Postgres(pool) => {
            sqlx::query_scalar(table_sql).bind(id).fetch_all(pool).await
        }
    }
    .expect("query");
    ids.sort();
    ids.dedup();
    ids
}

on_both_backends!(attendance_pull_stores_what_dingtalk_reports, |app| {
    use hourbridge_core::services::attendance;
    let sim = simulator().await;
    let (admin, _) = app.admin().await;
    let created = add_connection(&admin, &sim, &sim.config().app_secret).await;
    let id = created["summary"]["id"].as_str().expect("id").to_owned();
    let (status, _) = admin.call_json("connections/test", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::OK);

    let (first, last) = last_four_weeks(&sim);
    let report = attendance::pull(&app.state, &id, first, last)
        .await
        .expect("the pull succeeds");

    let company = sim.company();
    let people: Vec<String> = company
        .people()
        .iter()
        .filter(|p| company.in_directory(p))
        .map(|p| p.userid.clone())
        .collect();
    let expected: usize = people
        .iter()
        .map(|u| company.records(u, first..=last).len())
        .sum();
    assert_eq!(report.people, people.len());
    assert!(expected > 0, "the simulator has results in the range");
    assert_eq!(report.results, expected, "every punch result, once");
    assert_eq!(
        report.billable(),
        sim.stats().billable,
        "the calls we count are the calls DingTalk charges"
    );
    assert_eq!(report.throttled(), 0);

    // Every result tied to an approval form has that form stored.
    let linked = stored_form_ids(
        &app,
        "SELECT form_id FROM punch_results WHERE connection_id = $1 AND form_id IS NOT NULL",
        &id,
    )
    .await;
    let forms = stored_form_ids(
        &app,
        "SELECT form_id FROM approval_forms WHERE connection_id = $1",
        &id,
    )
    .await;
    assert!(!linked.is_empty(), "some results come from approvals");
    let missing: Vec<&String> = linked.iter().filter(|f| !forms.contains(f)).collect();
    assert!(missing.is_empty(), "forms not read: {missing:?}");

    // Pulling the same range again replaces rather than adds.
    let again = attendance::pull(&app.state, &id, first, last)
        .await
        .expect("the second pull succeeds");
    assert_eq!(again.results, report.results);
    let logged = attendance::last_pull(&app.state, &id)
        .await
        .expect("log")
        .expect("a logged pull");
    assert_eq!(logged.outcome, "ok");
    assert_eq!(logged.results as usize, report.results);
    let total = stored_form_ids(
        &app,
        "SELECT CAST(result_id AS TEXT) FROM punch_results WHERE connection_id = $1",
        &id,
    )
    .await;
    assert_eq!(total.len(), report.results, "no result stored twice");
});

on_both_backends!(a_malformed_answer_fails_the_pull_with_its_path, |app| {
    use hourbridge_core::services::attendance;
    use hourbridge_dingtalk_sim::{Fault, FaultScope};
    let sim = simulator().await;
    let (admin, _) = app.admin().await;
    let robot = sim
        .config()
        .robot
        .clone()
        .expect("the simulator has a robot");
    let webhook = format!(
        "{}/robot/send?access_token={}",
        sim.base_url(),
        robot.access_token
    );
    let created = add_connection_with(
        &admin,
        &sim,
        &sim.config().app_secret,
        &[
            ("robot_webhook", &webhook),
            ("robot_secret", robot.secret.as_deref().unwrap_or_default()),
        ],
    )
    .await;
    let id = created["summary"]["id"].as_str().expect("id").to_owned();
    admin.call_json("connections/test", &[("id", &id)]).await;

    sim.faults()
        .inject(Fault::WrongShape, FaultScope::path("/attendance/list", 1));
    let (first, last) = last_four_weeks(&sim);
    let error = attendance::pull(&app.state, &id, first, last)
        .await
        .expect_err("a wrong shape fails the pull");
    let text = error.to_string();
    assert!(text.contains("recordresult"), "names the field: {text}");
    let logged = attendance::last_pull(&app.state, &id)
        .await
        .expect("log")
        .expect("a logged pull");
    assert_eq!(logged.outcome, "failed");
    let detail = logged.detail.unwrap_or_default();
    assert!(
        detail.contains("recordresult") && detail.contains("oops"),
        "the log names the field and quotes the answer: {detail}"
    );

    // The group hears of it, signed, with the same reason.
    let messages = sim.robot_messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let text = messages[0]["markdown"]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("总部") && text.contains("recordresult"),
        "{text}"
    );

    sim.faults().inject(
        Fault::QuotaExhausted,
        FaultScope::path("/attendance/list", 1),
    );
    let error = attendance::pull(&app.state, &id, first, last)
        .await
        .expect_err("an exhausted quota stops the pull");
    assert!(error.to_string().contains("quota"), "{error}");
});
