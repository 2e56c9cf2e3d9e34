//! Logging in and out, throttling, sessions and CSRF, against a running server.

mod support;

use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(first_admin_must_change_the_one_time_password, |app| {
    let c = app.client();
    c.open_page("/login").await;
    let (status, body) = c
        .call_json(
            "account/login",
            &[("username", "admin"), ("password", &app.admin_password)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "must_change_password": true }));
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["time_zone"], "Asia/Shanghai");
    // Nothing else is allowed until the password is changed.
    let (status, body) = c.call_json("users/list", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({ "error": "password_change_required" }));
    // A weak or mismatched new password is refused field by field.
    let (status, body) = c
        .call_json(
            "account/password",
            &[
                ("current_password", &app.admin_password),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["fields"][0],
        json!({ "field": "new_password", "problem": "too_short" })
    );
    let (status, body) = c
        .call_json(
            "account/password",
            &[
                ("current_password", "not-it-at-all"),
                ("new_password", "long enough 1"),
                ("confirm_password", "long enough 1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "current_password");
    let (status, _) = c
        .call_json(
            "account/password",
            &[
                ("current_password", &app.admin_password),
                ("new_password", "long enough 1"),
                ("confirm_password", "long enough 1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me["must_change_password"], false);
    let (status, _) = c.call_json("users/list", &[]).await;
    assert_eq!(status, StatusCode::OK);
});

on_both_backends!(unknown_user_and_wrong_password_get_the_same_answer, |app| {
    let c = app.client();
    c.open_page("/login").await;
    let wrong = c
        .call_json(
            "account/login",
            &[("username", "admin"), ("password", "wrong password")],
        )
        .await;
    let unknown = c
        .call_json(
            "account/login",
            &[("username", "nobody"), ("password", "wrong password")],
        )
        .await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.1, json!({ "error": "invalid_credentials" }));
    let empty = c
        .call_json("account/login", &[("username", ""), ("password", "")])
        .await;
    assert_eq!(empty.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.1["fields"].as_array().map(Vec::len), Some(2));
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me, serde_json::Value::Null);
});

on_both_backends!(five_failures_make_an_account_wait, |app| {
    let c = app.client();
    c.open_page("/login").await;
    for attempt in 1..=4 {
        let (status, _) = c
            .call_json(
                "account/login",
                &[("username", "admin"), ("password", "nope nope")],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let fifth = c
        .call(
            "account/login",
            &[("username", "admin"), ("password", "nope nope")],
        )
        .await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = fifth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    // Even the right password waits now, and the failure is audited.
    let (status, body) = c
        .call_json(
            "account/login",
            &[("username", "admin"), ("password", &app.admin_password)],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "throttled");
    let page = hourbridge_core::services::audit::page(
        &app.state.db,
        Some(hourbridge_domain::audit::AuditAction::LoginFailed),
        1,
    )
    .await
    .unwrap();
    assert_eq!(page.total, 5);
    assert_eq!(page.entries[0].ip.as_deref(), Some("127.0.0.1"));
    // Another account from the same address is not affected.
    let other = app.client();
    other.open_page("/login").await;
    let (status, _) = other
        .call_json(
            "account/login",
            &[("username", "someone"), ("password", "whatever1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

on_both_backends!(login_rotates_the_session_and_logout_ends_it, |app| {
    let c = app.client();
    c.open_page("/login").await;
    let before = c
        .cookie("hb_session")
        .expect("anonymous session for the CSRF token");
    let csrf_before = c.cookie("hb_csrf").expect("csrf cookie");
    let (status, _) = c
        .call_json(
            "account/login",
            &[("username", "admin"), ("password", &app.admin_password)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let after = c.cookie("hb_session").expect("session after login");
    assert_ne!(before, after, "session id must change on login");
    assert_ne!(
        Some(csrf_before),
        c.cookie("hb_csrf"),
        "CSRF token must change on login"
    );
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me["username"], "admin");
    let (status, _) = c.call_json("account/logout", &[]).await;
    assert_eq!(status, StatusCode::OK);
    // The logged-out session is gone with its CSRF token: the page reloads to get a new one.
    c.open_page("/login").await;
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me, serde_json::Value::Null);
    let page = hourbridge_core::services::audit::page(&app.state.db, None, 1)
        .await
        .unwrap();
    let actions: Vec<_> = page.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["logout", "login"]);
});

on_both_backends!(state_changes_without_a_csrf_token_are_refused, |app| {
    let c = app.client();
    c.open_page("/login").await;
    let form = [
        ("username", "admin"),
        ("password", app.admin_password.as_str()),
    ];
    let missing = c
        .http
        .post(c.url("/api/account/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "csrf");
    let forged = c
        .http
        .post(c.url("/api/account/login"))
        .header("x-csrf-token", "forged")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Nothing happened: still logged out, no login audited.
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me, serde_json::Value::Null);
    // A form posted before the page's script ran carries the token as a field.
    let token = c.cookie("hb_csrf").unwrap();
    let with_field = c
        .http
        .post(c.url("/api/account/login"))
        .header("accept", "application/json")
        .form(&[
            ("username", "admin"),
            ("password", app.admin_password.as_str()),
            ("_csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(with_field.status(), StatusCode::OK);
});

on_both_backends!(sessions_live_in_the_database, |app| {
    let (c, _) = app.admin().await;
    let n: i64 = match &app.state.db {
        hourbridge_core::db::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions")
                .fetch_one(p)
                .await
                .unwrap()
        }
        hourbridge_core::db::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions.session")
                .fetch_one(p)
                .await
                .unwrap()
        }
    };
    assert!(n >= 1);
    let (_, me) = c.call_json("account/me", &[]).await;
    assert_eq!(me["username"], "admin");
});

#[tokio::test]
async fn session_cookies_are_http_only_and_same_site() {
    let app = support::spawn(support::Backend::Sqlite).await.unwrap();
    let c = app.client();
    let r = c.open_page("/login").await;
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("hb_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("hb_csrf="))
        .expect("csrf cookie");
    assert!(
        !csrf.contains("HttpOnly"),
        "the page script must read it: {csrf}"
    );
}

on_both_backends!(failed_logins_older_than_the_window_are_pruned, |app| {
    use hourbridge_core::db::login_failures;
    let db = &app.state.db;
    let now = hourbridge_core::clock::now_secs();
    login_failures::record(db, "old", "admin", "10.0.0.1", now - 16 * 60)
        .await
        .unwrap();
    login_failures::record(db, "new", "admin", "10.0.0.1", now - 60)
        .await
        .unwrap();
    let pruned = hourbridge_core::services::auth::prune_login_failures(&app.state)
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    let left = login_failures::recent(db, "admin", "10.0.0.1", 0)
        .await
        .unwrap();
    assert_eq!(left.for_account, vec![now - 60]);
});
