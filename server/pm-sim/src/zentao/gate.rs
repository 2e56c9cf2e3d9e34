//! ZenTao's side of the gate ([`crate::common::gate`]): the token bucket
//! only when one is configured (ZenTao itself has none; a proxy in front
//! answers 429 with `Retry-After`).
//!
//! Calls are named without the `/zentao/api.php/v1` prefix: stats and
//! fault scopes read `POST /tasks/{id}/estimate`.

use std::sync::Mutex;

use axum::response::Response;

use crate::common::faults::WriteDrops;
use crate::common::gate::{truncated_json, Gated};
use crate::common::limits::TokenBucket;
use crate::common::stats::Stats;

use super::routes::API_PREFIX;
use super::state::ZentaoState;

impl Gated for ZentaoState {
    fn gate_parts(&self) -> (&Mutex<TokenBucket>, &WriteDrops, &Mutex<Stats>) {
        (&self.limiter, &self.write_drops, &self.counters)
    }

    fn call_names(path: &str, route: Option<&str>) -> (String, String) {
        (strip(path), strip(route.unwrap_or(path)))
    }

    /// Whether a call records effort (what
    /// [`ZentaoConfig::drop_after_write_ratio`](super::ZentaoConfig) drops).
    fn is_write(method: &str, template: &str) -> bool {
        method == "POST" && template == "/tasks/{id}/estimate"
    }

    fn malformed_json() -> Response {
        truncated_json(
            "application/json",
            r#"{"page":1,"total":3,"limit":20,"tasks":[{"id":1,"na"#,
        )
    }
}

fn strip(path: &str) -> String {
    let rest = path.strip_prefix(API_PREFIX).unwrap_or(path);
    if rest.is_empty() {
        "/".to_owned()
    } else {
        rest.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use crate::common::gate::Gated;

    use super::{strip, ZentaoState};

    #[test]
    fn calls_are_named_without_the_api_prefix() {
        let is_write = ZentaoState::is_write;
        assert_eq!(
            strip("/zentao/api.php/v1/tasks/{id}/estimate"),
            "/tasks/{id}/estimate"
        );
        assert_eq!(strip("/tasks/5"), "/tasks/5");
        assert!(is_write("POST", "/tasks/{id}/estimate"));
        assert!(!is_write("GET", "/tasks/{id}/estimate"));
        assert!(!is_write("POST", "/tokens"));
    }
}
