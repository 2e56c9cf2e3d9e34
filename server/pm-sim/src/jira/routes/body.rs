//! Reading request bodies without panicking.

use serde_json::{Map, Value};

use crate::jira::error::{JiraError, JiraResult};

/// The body as a JSON object (400 in Jira's shape otherwise).
pub fn object(body: &[u8]) -> JiraResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(JiraError::bad_request(
            "No content to map due to end-of-input",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(JiraError::bad_request(
            "Can not deserialize instance out of a non-object token",
        )),
        Err(e) => Err(JiraError::bad_json(&e)),
    }
}
