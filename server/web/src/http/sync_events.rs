//! `GET /api/sync/events`: live progress of sync runs as server-sent events.
//! Each `run` event carries a run's row (JSON) whenever its state, progress
//! or counters change; with `?run=<id>` only that run, and the stream ends
//! once it has finished. Admins only (the session cookie of the pages).

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use hourbridge_core::services::{auth, sync::runs};
use hourbridge_core::session::AppSession;
use hourbridge_core::AppState;
use hourbridge_domain::role::Area;
use hourbridge_domain::sync::RunRow;
use serde::Deserialize;
use tower_sessions::Session;

use super::errors::json_error;

/// How often the database is looked at for changes.
const TICK: Duration = Duration::from_millis(400);
/// Finished runs younger than this are sent when a stream opens.
const RECENT_MS: i64 = 60_000;

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    run: Option<String>,
}

pub async fn stream(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<EventsQuery>,
) -> Response {
    let session = AppSession(session);
    let auth_ok = match session.auth().await {
        Ok(Some(a)) => auth::session_user(&state, &a).await.ok().flatten(),
        _ => None,
    };
    match auth_ok {
        None => json_error(StatusCode::UNAUTHORIZED, "unauthorized", "log in first"),
        Some(user) if !user.role.can(Area::SyncJobs) || user.must_change_password => json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only administrators watch sync runs",
        ),
        Some(_) => {
            // An unknown run is a 404, not a stream that ends at once (the
            // browser would reconnect to it forever).
            if let Some(id) = &query.run {
                match hourbridge_core::db::sync_runs::get(&state.db, id).await {
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        return json_error(StatusCode::NOT_FOUND, "not_found", "no such run")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "sync events: cannot read the run");
                        return json_error(
                            StatusCode::SERVICE_UNAVAILABLE,
                            "unavailable",
                            "the database is not answering",
                        );
                    }
                }
            }
            Sse::new(changes(state, query.run))
                .keep_alive(KeepAlive::default())
                .into_response()
        }
    }
}

struct Watch {
    state: AppState,
    run: Option<String>,
    seen: HashMap<String, RunRow>,
    since: i64,
    pending: Vec<RunRow>,
    first: bool,
    done: bool,
}

fn changes(state: AppState, run: Option<String>) -> impl Stream<Item = Result<Event, Infallible>> {
    let watch = Watch {
        state,
        run,
        seen: HashMap::new(),
        since: hourbridge_core::clock::now_ms() - RECENT_MS,
        pending: Vec::new(),
        first: true,
        done: false,
    };
    stream::unfold(watch, |mut w| async move {
        loop {
            if let Some(row) = w.pending.pop() {
                let event = Event::default()
                    .event("run")
                    .json_data(&row)
                    .unwrap_or_else(|_| Event::default().comment("unencodable row"));
                return Some((Ok(event), w));
            }
            if w.done {
                return None;
            }
            if !w.first {
                tokio::time::sleep(TICK).await;
            }
            w.first = false;
            let rows = match &w.run {
                Some(id) => runs::detail(&w.state, id).await.map(|d| vec![d.run]),
                None => runs::recent(&w.state, w.since).await,
            };
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "sync events: cannot read runs");
                    return None;
                }
            };
            for row in rows {
                if w.seen.get(&row.id) != Some(&row) {
                    if w.run.is_some() && row.state.is_finished() {
                        w.done = true;
                    }
                    w.seen.insert(row.id.clone(), row.clone());
                    w.pending.push(row);
                }
            }
            // Oldest first once popped.
            w.pending.reverse();
        }
    })
}
