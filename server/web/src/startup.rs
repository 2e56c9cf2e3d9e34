//! Start-up: open and migrate the database, create the first admin, and
//! assemble the router. Tests call [`build`] with a listener on port 0.

use crate::config::Config;
use crate::http::{
    client_ip, csrf, dingtalk_callback, errors::json_error, health, reconciliation_csv,
    server_fn_status, sync_events,
};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::{get, post};
use axum::{middleware, Router};
use hourbridge_app::{shell, App};
use hourbridge_core::db::{Db, DbOpenError};
use hourbridge_core::secrets::{Keyring, MasterKey, SecretError};
use hourbridge_core::services::bootstrap::{self, FirstAdmin};
use hourbridge_core::session::DbSessionStore;
use hourbridge_core::{AppState, CoreError, Settings};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Request bodies above this size are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Database(#[from] DbOpenError),
    #[error("session store: {0}")]
    Sessions(sqlx_error::Error),
    #[error("{0}")]
    Service(#[from] CoreError),
    #[error("cannot read the listening address: {0}")]
    Listener(std::io::Error),
    #[error("master key: {0}")]
    MasterKey(#[from] SecretError),
}

mod sqlx_error {
    pub type Error = Box<dyn std::error::Error + Send + Sync>;
}

pub struct Server {
    listener: TcpListener,
    router: Router,
    pub addr: SocketAddr,
    pub state: AppState,
    /// Set when this start created the first administrator.
    pub first_admin: Option<FirstAdmin>,
}

/// Builds a ready-to-run server: the database is migrated (a failed migration
/// is an error here, so the server never starts on a half-updated schema).
pub async fn build(config: Config, listener: TcpListener) -> Result<Server, StartupError> {
    let db = Db::connect(
        config.database_url.expose(),
        config.database_max_connections,
    )
    .await?;
    db.migrate().await?;
    tracing::info!(backend = db.backend_name(), "database ready");

    let settings = Settings {
        hash_cost: config.hash_cost,
        throttle: config.throttle,
        trust_proxy: config.trust_proxy,
        public_url: config.public_url.clone(),
        sync: config.sync.clone(),
    };
    let keyring = keyring(&config)?;
    let state = AppState::new(db.clone(), settings, keyring)?;
    let resealed = hourbridge_core::services::keys::reseal_stale(&state).await?;
    if resealed > 0 {
        tracing::info!(
            resealed,
            "secrets re-sealed with the current master key; the previous keys can be removed"
        );
    }
    let first_admin = bootstrap::ensure_admin(&state).await?;
    let store = DbSessionStore::open(&db)
        .await
        .map_err(|e| StartupError::Sessions(Box::new(e)))?;
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(Duration::from_secs(600)),
    );
    tokio::spawn(prune_login_failures(state.clone()));
    tokio::spawn(prune_callback_nonces(state.clone()));
    hourbridge_core::services::sync::worker::spawn(state.clone());

    let addr = listener.local_addr().map_err(StartupError::Listener)?;
    let router = router(&config, state.clone(), store, addr);
    Ok(Server {
        listener,
        router,
        addr,
        state,
        first_admin,
    })
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hourbridge")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

fn router(config: &Config, state: AppState, store: DbSessionStore, addr: SocketAddr) -> Router {
    let options = leptos_options(config, addr);
    let routes = generate_route_list(App);

    let sessions = SessionManagerLayer::new(store)
        .with_name("hb_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            config.session_idle_minutes,
        )));

    let page_state = state.clone();
    let pages = Router::new()
        // Server functions are registered by `leptos_routes_with_context` (with the
        // same context); anything else under /api is an unknown endpoint.
        .route("/api/{*rest}", axum::routing::any(unknown_api))
        .route(
            "/api/sync/events",
            get(sync_events::stream).with_state(state.clone()),
        )
        .route(
            "/api/sync/reconciliation.csv",
            get(reconciliation_csv::download).with_state(state.clone()),
        )
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options.clone())
        .layer(middleware::from_fn(server_fn_status::client_errors_are_4xx))
        .layer(middleware::from_fn_with_state(
            csrf::CsrfCookie {
                secure: config.secure_cookies(),
            },
            csrf::protect,
        ))
        .layer(sessions);

    let pkg = config.site_root.join("pkg");
    Router::new()
        .route("/healthz", get(health::health).with_state(state.clone()))
        .route(
            "/callbacks/dingtalk/{connection_id}",
            post(dingtalk_callback::receive).with_state(state),
        )
        .nest_service("/pkg", ServeDir::new(pkg).precompressed_gzip())
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            client_ip::TrustProxy(config.trust_proxy),
            client_ip::attach_origin,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| {
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal server error",
            )
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
                let route = req
                    .extensions()
                    .get::<axum::extract::MatchedPath>()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| req.uri().path().to_owned());
                tracing::info_span!("request", method = %req.method(), route = %route)
            }),
        )
}

/// Every ten minutes, forget failed logins older than the throttling window.
async fn prune_login_failures(state: AppState) {
    let period = Duration::from_secs(600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        every.tick().await;
        if let Err(e) = hourbridge_core::services::auth::prune_login_failures(&state).await {
            tracing::warn!(error = %e, "could not prune old failed logins");
        }
    }
}

/// Every ten minutes, forget callback nonces older than the freshness window.
async fn prune_callback_nonces(state: AppState) {
    let period = Duration::from_secs(600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        every.tick().await;
        let cutoff = hourbridge_core::clock::now_ms()
            - 2 * hourbridge_core::services::callbacks::FRESHNESS_MS;
        if let Err(e) = hourbridge_core::db::dingtalk_events::prune_nonces(&state.db, cutoff).await
        {
            tracing::warn!(error = %e, "could not prune old callback nonces");
        }
    }
}

/// The master key from the configuration, or `master.key` in the data
/// folder (generated on first run, with a warning to back it up).
fn keyring(config: &Config) -> Result<Keyring, StartupError> {
    let previous = config
        .previous_master_keys
        .iter()
        .map(|k| MasterKey::from_base64(k.expose()))
        .collect::<Result<Vec<_>, _>>()?;
    let current = match &config.master_key {
        Some(key) => MasterKey::from_base64(key.expose())?,
        None => {
            let (key, created) = Keyring::load_or_create(&config.data_dir)?;
            if created {
                tracing::warn!(
                    path = %config.data_dir.join("master.key").display(),
                    "generated a new master key for secrets at rest; back this file up \
                     (without it the stored DingTalk and PM secrets cannot be read) \
                     or set HOURBRIDGE_MASTER_KEY"
                );
            }
            key
        }
    };
    Ok(Keyring::new(current, previous))
}

async fn unknown_api() -> axum::response::Response {
    json_error(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}

impl Server {
    /// Prints the first admin's one-time login (once, on the first start).
    pub fn announce(&self, public_url: &str) {
        if let Some(admin) = &self.first_admin {
            tracing::warn!(username = %admin.username, "first start: administrator created; one-time password printed below");
            println!(
                "\n  HourBridge first start: an administrator was created.\n  Open:     {public_url}/login\n  Username: {}\n  Password: {}\n  (one-time password: you must choose your own at first login)\n",
                admin.username, admin.password
            );
        }
        tracing::info!(addr = %self.addr, "HourBridge is listening");
    }

    pub async fn run_until_stopped(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(stop)
            .await
    }
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
