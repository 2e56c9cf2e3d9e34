//! Test harness: a real HourBridge server on 127.0.0.1:0 with its own fresh
//! database (a new SQLite file, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set), and an HTTP client that keeps cookies.

#![allow(dead_code)]

use hourbridge_server::config::Config;
use hourbridge_server::startup;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test only.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempdir::TempDir>,
    pg_drop: Option<(String, String)>,
}

mod tempdir {
    /// A temporary directory removed on drop.
    pub struct TempDir(pub std::path::PathBuf);
    impl TempDir {
        pub fn new() -> Self {
            let dir = std::env::temp_dir()
                .join(format!("hourbridge-test-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl TestDb {
    /// `None` when the backend is not available here (PostgreSQL without `TEST_DATABASE_URL`).
    pub async fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempdir::TempDir::new();
                let url = format!("sqlite://{}", dir.0.join("hourbridge.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    pg_drop: None,
                })
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL").ok()?;
                let name = format!("hb_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .unwrap_or(admin_url.clone());
                Some(TestDb {
                    url: format!("{base}/{name}"),
                    _dir: None,
                    pg_drop: Some((admin_url, name)),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_drop.take() {
            // Runs on its own thread: Drop cannot await on the test's runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
                        .await
                        .ok()?;
                    sqlx::Executor::execute(
                        &mut conn,
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                    )
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub admin_password: String,
    pub state: hourbridge_core::AppState,
    pub db: TestDb,
}

/// Builds (migrates, bootstraps) a server on an existing test database without running it.
pub async fn build_on(db: &TestDb) -> Result<startup::Server, startup::StartupError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    startup::build(Config::for_tests(&db.url, std::env::temp_dir()), listener).await
}

/// Starts a server on a fresh database; `None` if the backend is unavailable.
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, |_| {}).await
}

/// [`spawn`], with the test configuration changed by `configure` first.
#[allow(dead_code)] // not every test binary changes the configuration
pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let db = TestDb::create(backend).await?;
    let site = std::env::temp_dir();
    let mut config = Config::for_tests(&db.url, site);
    configure(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let server = startup::build(config, listener)
        .await
        .expect("server starts");
    let admin = server
        .first_admin
        .clone()
        .expect("first start creates an admin");
    let base = format!("http://{}", server.addr);
    let state = server.state.clone();
    tokio::spawn(server.run_until_stopped(std::future::pending()));
    Some(TestApp {
        base,
        admin_password: admin.password,
        state,
        db,
    })
}

/// A browser-like client: keeps cookies and sends the CSRF token.
pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

impl TestApp {
    pub fn client(&self) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Client {
            http,
            jar,
            base: self.base.clone(),
        }
    }

    /// A client logged in as the first admin, with the one-time password changed.
    pub async fn admin(&self) -> (Client, String) {
        let c = self.client();
        c.open_page("/login").await;
        let r = c
            .call(
                "account/login",
                &[("username", "admin"), ("password", &self.admin_password)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "admin login");
        let new_password = "admin-password-2026";
        let r = c
            .call(
                "account/password",
                &[
                    ("current_password", &self.admin_password),
                    ("new_password", new_password),
                    ("confirm_password", new_password),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "admin password change");
        (c, new_password.to_owned())
    }

    /// Creates a user as admin and answers a client logged in as them (password changed).
    pub async fn user_with_role(&self, admin: &Client, username: &str, role: &str) -> Client {
        let initial = "initial-password-1";
        let (status, body) = admin
            .create_user(username, "测试 用户", role, initial)
            .await;
        assert_eq!(status, StatusCode::OK, "create {username}: {body}");
        let c = self.client();
        c.open_page("/login").await;
        let r = c
            .call(
                "account/login",
                &[("username", username), ("password", initial)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{username} logs in");
        let r = c
            .call(
                "account/password",
                &[
                    ("current_password", initial),
                    ("new_password", "my-own-password"),
                    ("confirm_password", "my-own-password"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{username} changes password");
        c
    }
}

impl Client {
    /// The id of a user, looked up by login name through the admin API.
    pub async fn user_id(&self, username: &str) -> String {
        let (_, list) = self.call_json("users/list", &[]).await;
        list.as_array()
            .and_then(|users| users.iter().find(|u| u["username"] == username))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("user {username} not listed: {list}"))
            .to_owned()
    }

    /// Creates a user through the admin API.
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: &str,
        password: &str,
    ) -> (StatusCode, Value) {
        self.call_json(
            "users/create",
            &[
                ("username", username),
                ("display_name", display_name),
                ("role", role),
                ("password", password),
            ],
        )
        .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GETs a page as a browser would (this also gives the session its CSRF token).
    pub async fn open_page(&self, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET page")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// Calls a server function with a form body and the CSRF header.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        let token = self.cookie("hb_csrf").unwrap_or_default();
        self.http
            .post(self.url(&format!("/api/{endpoint}")))
            .header("x-csrf-token", token)
            .form(form)
            .send()
            .await
            .expect("POST server function")
    }

    pub async fn call_json(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = self.call(endpoint, form).await;
        let status = r.status();
        let text = r.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }
}

/// Runs the test body once per backend: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn run($app: support::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = support::spawn(support::Backend::Sqlite).await.expect("sqlite is always available");
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match support::spawn(support::Backend::Postgres).await {
                    Some(app) => run(app).await,
                    None => eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant not run"),
                }
            }
        }
    };
}

/// A DingTalk simulator of `company`, connected as "总部" through the
/// connections service, with its directory pulled; and the connection's id.
pub async fn connected_dingtalk(
    app: &TestApp,
    company: hourbridge_dingtalk_sim::CompanySpec,
) -> (
    hourbridge_dingtalk_sim::Simulator,
    hourbridge_domain::ConnectionId,
) {
    use hourbridge_core::services::{connections, directory, Actor, Origin};
    let sim = hourbridge_dingtalk_sim::Simulator::start(hourbridge_dingtalk_sim::SimConfig {
        company,
        ..hourbridge_dingtalk_sim::SimConfig::default()
    })
    .await
    .expect("DingTalk simulator");
    let form = hourbridge_domain::connection::ConnectionForm {
        name: "总部".into(),
        corp_id: sim.config().corp_id.clone(),
        app_key: sim.config().app_key.clone(),
        app_secret: sim.config().app_secret.clone(),
        oapi_base: sim.base_url(),
        api_base: sim.base_url(),
        ..Default::default()
    };
    let admin = Actor {
        id: hourbridge_domain::UserId::new("admin-id"),
        username: "admin".into(),
        role: hourbridge_domain::Role::Admin,
    };
    let created = connections::create(&app.state, &admin, &Origin::default(), &form)
        .await
        .expect("DingTalk connection");
    let id = created.summary.id;
    directory::sync(&app.state, None, &Origin::default(), &id)
        .await
        .expect("directory");
    (sim, id)
}
