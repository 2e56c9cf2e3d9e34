//! Live run progress: the server-sent events of `/api/sync/events`, each a
//! run (`event: run`, a `RunRow` as JSON) that changed.

use hourbridge_domain::sync::RunRow;

/// Of two views of the same run, the later one. A run only moves forward
/// (queued → running → finished, progress and counts only grow), so the
/// view further along is the newer; a tie keeps `live`.
pub fn newer(fetched: RunRow, live: RunRow) -> RunRow {
    fn rank(r: &RunRow) -> (bool, bool, i64, i64, bool) {
        (
            r.state.is_finished(),
            r.started_at.is_some(),
            r.progress_done,
            r.records_in + r.records_out + r.skipped + r.failed,
            r.cancel_requested,
        )
    }
    if fetched.id == live.id && rank(&fetched) > rank(&live) {
        fetched
    } else if fetched.id == live.id {
        live
    } else {
        fetched
    }
}

/// Follows run changes — of every run, or of the run `run` — for as long as
/// the calling owner lives (call it from an effect: it is closed when the
/// effect runs again or is dropped; a single run's stream is closed once
/// the run has finished). `on_open` is called each time the stream is
/// connected (again), when changes may have been missed; `on_run` for each
/// change. Browser only; nothing happens on the server.
pub fn follow_runs(
    run: Option<String>,
    on_open: impl Fn() + 'static,
    on_run: impl Fn(RunRow) + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        use web_sys::{Event, EventSource, MessageEvent};

        let url = match &run {
            Some(id) => format!("/api/sync/events?run={}", query_escape(id)),
            None => "/api/sync/events".to_owned(),
        };
        let Ok(source) = EventSource::new(&url) else {
            return;
        };
        let opened = Closure::<dyn Fn(Event)>::new(move |_: Event| on_open());
        // The server ends a single run's stream once the run has finished:
        // the browser would connect again and again.
        let single = run.is_some();
        let stream = source.clone();
        let changed = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let row = event
                .data()
                .as_string()
                .and_then(|data| serde_json::from_str::<RunRow>(&data).ok());
            if let Some(row) = row {
                let finished = row.state.is_finished();
                on_run(row);
                if single && finished {
                    stream.close();
                }
            }
        });
        let _ = source.add_event_listener_with_callback("open", opened.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("run", changed.as_ref().unchecked_ref());
        // The listeners live as long as the stream.
        let live = send_wrapper::SendWrapper::new((source, opened, changed));
        leptos::prelude::on_cleanup(move || {
            live.0.close();
            drop(live);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (run, on_open, on_run);
}

/// Percent-encodes everything but unreserved characters.
#[cfg(feature = "hydrate")]
fn query_escape(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourbridge_domain::sync::{RunKind, RunState, RunTrigger};

    fn row(state: RunState, done: i64) -> RunRow {
        RunRow {
            id: "r1".into(),
            pair_id: "p".into(),
            pair_name: "P".into(),
            kind: RunKind::Sync,
            trigger: RunTrigger::Manual,
            state,
            first_day: "2026-11-02".into(),
            last_day: "2026-11-08".into(),
            scope: String::new(),
            target_run: None,
            requested_by: None,
            queued_at: 0,
            started_at: Some(1),
            finished_at: None,
            progress_done: done,
            progress_total: 10,
            records_in: 0,
            records_out: 0,
            skipped: 0,
            failed: 0,
            error: None,
            cancel_requested: false,
        }
    }

    #[test]
    fn the_view_further_along_wins() {
        let fetched = row(RunState::Running, 3);
        assert_eq!(
            newer(fetched.clone(), row(RunState::Running, 5)).progress_done,
            5
        );
        assert_eq!(
            newer(row(RunState::Running, 7), row(RunState::Running, 5)).progress_done,
            7
        );
        let done = row(RunState::Succeeded, 10);
        assert_eq!(newer(done.clone(), row(RunState::Running, 9)), done);
        let mut other = row(RunState::Succeeded, 10);
        other.id = "r2".into();
        assert_eq!(newer(fetched.clone(), other), fetched);
    }
}
