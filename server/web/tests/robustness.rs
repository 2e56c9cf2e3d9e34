//! Bad requests get clear 4xx answers; nothing panics; the database must be sound to start.

mod support;

use reqwest::StatusCode;

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = support::spawn(support::Backend::Sqlite).await.unwrap();
    let (admin, _) = app.admin().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let r = admin
        .call(
            "users/create",
            &[
                ("username", "big"),
                ("display_name", &big),
                ("role", "hr"),
                ("password", "0123456789ab"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (_, list) = admin.call_json("users/list", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_bodies_get_4xx_not_a_crash() {
    let app = support::spawn(support::Backend::Sqlite).await.unwrap();
    let (admin, _) = app.admin().await;
    let token = admin.cookie("hb_csrf").unwrap();
    let bodies: [&[u8]; 4] = [
        b"%%%",
        b"username=a&username=b",
        &[0xff, 0xfe, 0x00],
        b"active=maybe&user_id=1",
    ];
    for (endpoint, body) in [
        "users/create",
        "users/create",
        "users/create",
        "users/active",
    ]
    .iter()
    .zip(bodies)
    {
        let r = admin
            .http
            .post(admin.url(&format!("/api/{endpoint}")))
            .header("x-csrf-token", &token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(
            status.is_client_error(),
            "{endpoint} {body:?} → {status}: {text}"
        );
    }
    // The server is still fine.
    let (status, _) = admin.call_json("users/list", &[]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_pages_are_404_and_health_answers() {
    let app = support::spawn(support::Backend::Sqlite).await.unwrap();
    let c = app.client();
    let r = c.open_page("/no-such-page").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("页面不存在"));
    let r = c.http.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["database"], "sqlite");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_login() {
    let app = support::spawn(support::Backend::Sqlite).await.unwrap();
    let c = app.client();
    let r = c.open_page("/users").await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers()["location"], "/login");
}

#[tokio::test]
async fn a_failed_migration_stops_the_server() {
    let db = support::TestDb::create(support::Backend::Sqlite)
        .await
        .unwrap();
    let server = support::build_on(&db).await.unwrap();
    // Someone edited an applied migration: its checksum no longer matches.
    if let hourbridge_core::db::Db::Sqlite(pool) = &server.state.db {
        sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00'")
            .execute(pool)
            .await
            .unwrap();
    }
    server.state.db.close().await;
    let err = support::build_on(&db).await.err().expect("must not start");
    assert!(err.to_string().contains("migration"), "{err}");
}

#[tokio::test]
async fn the_first_admin_is_created_only_once() {
    let db = support::TestDb::create(support::Backend::Sqlite)
        .await
        .unwrap();
    for expected in [true, false] {
        let server = support::build_on(&db).await.unwrap();
        assert_eq!(server.first_admin.is_some(), expected);
        server.state.db.close().await;
    }
}
