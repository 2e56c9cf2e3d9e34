//! Redmine's side of the gate ([`crate::common::gate`]): the token bucket
//! only when one is configured (Redmine itself has none; a proxy in front
//! answers 429 with `Retry-After`), 401s counted here, and Rails' JSON
//! content type.

use std::sync::Mutex;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use crate::common::faults::WriteDrops;
use crate::common::gate::{truncated_json, Gated};
use crate::common::limits::{Admission, TokenBucket};
use crate::common::stats::Stats;

use super::state::RedmineState;

impl Gated for RedmineState {
    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>) {
        (&self.limiter, &self.write_drops, &self.counters)
    }

    fn call_names(path: &str, route: Option<&str>) -> (String, String) {
        (path.to_owned(), template(route, path))
    }

    /// Whether a call changes time entries (what
    /// [`RedmineConfig::drop_after_write_ratio`](super::RedmineConfig) drops).
    fn is_write(method: &str, template: &str) -> bool {
        matches!(method, "POST" | "PUT" | "DELETE") && template.starts_with("/time_entries")
    }

    fn malformed_json() -> Response {
        truncated_json(
            "application/json; charset=utf-8",
            r#"{"time_entries":[{"id":1,"project":{"id":1,"na"#,
        )
    }

    fn finish(&self, response: &mut Response, _: Admission) {
        if response.status() == StatusCode::UNAUTHORIZED {
            self.count(|s| s.unauthorized += 1);
        }
        with_charset(response);
    }
}

/// The route template of a path: `/time_entries/{id}` matched on
/// `/time_entries/5.json` reads `/time_entries/{id}.json`.
fn template(matched: Option<&str>, path: &str) -> String {
    let Some(matched) = matched else {
        return path.to_owned();
    };
    if path.ends_with(".json") && !matched.ends_with(".json") {
        format!("{matched}.json")
    } else {
        matched.to_owned()
    }
}

/// Rails types JSON bodies `application/json; charset=utf-8` (empty `head`
/// answers stay plain `application/json`).
fn with_charset(response: &mut Response) {
    let status = response.status();
    if !(status.is_success() || status == StatusCode::UNPROCESSABLE_ENTITY) {
        return;
    }
    let headers = response.headers_mut();
    if headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::common::gate::Gated;

    use super::{template, RedmineState};

    #[test]
    fn templates_keep_the_json_suffix() {
        assert_eq!(
            template(Some("/time_entries/{id}"), "/time_entries/5.json"),
            "/time_entries/{id}.json"
        );
        assert_eq!(
            template(Some("/projects.json"), "/projects.json"),
            "/projects.json"
        );
        assert_eq!(template(None, "/x"), "/x");
    }

    #[test]
    fn only_time_entry_changes_are_writes() {
        let is_write = RedmineState::is_write;
        assert!(is_write("POST", "/time_entries.json"));
        assert!(is_write("PUT", "/time_entries/{id}.json"));
        assert!(is_write("DELETE", "/time_entries/{id}.json"));
        assert!(!is_write("GET", "/time_entries.json"));
        assert!(!is_write("POST", "/users.json"));
    }
}
