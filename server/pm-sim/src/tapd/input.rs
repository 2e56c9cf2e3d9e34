//! A call's parameters: the query string, plus the body of a POST (form
//! `a=1&cost_ids[]=x&cost_ids[]=y` or JSON `{"a":1,"cost_ids":["x","y"]}`),
//! read as TAPD's PHP reads them: every value text, `name[]` a list.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::Value;

use super::error::TapdError;

/// Parameter name → values, in order.
#[derive(Debug, Clone, Default)]
pub struct Input(Vec<(String, String)>);

/// `cost_ids[]` and `cost_ids[0]` both name `cost_ids`.
fn base_name(name: &str) -> &str {
    match name.find('[') {
        Some(i) if name.ends_with(']') => &name[..i],
        _ => name,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => other.to_string(),
    }
}

impl Input {
    pub fn parse_form(&mut self, text: &[u8]) {
        for (k, v) in form_urlencoded::parse(text) {
            self.0.push((base_name(&k).to_owned(), v.into_owned()));
        }
    }

    /// A JSON object's fields (arrays give one value per item).
    pub fn parse_json(&mut self, body: &[u8]) -> Result<(), TapdError> {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return Err(TapdError::invalid("the request body is not a JSON object"));
        };
        for (k, v) in map {
            let name = base_name(&k).to_owned();
            match v {
                Value::Array(items) => {
                    for item in items {
                        self.0.push((name.clone(), text(&item)));
                    }
                }
                other => self.0.push((name, text(&other))),
            }
        }
        Ok(())
    }

    pub fn from_query(query: &str) -> Self {
        let mut input = Input::default();
        input.parse_form(query.as_bytes());
        input
    }

    /// The last value of `name`, trimmed, if not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The last value of `name` as sent (not trimmed; may be empty).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// `name`, or 422 when it is missing.
    pub fn required(&self, name: &str) -> Result<&str, TapdError> {
        self.get(name)
            .ok_or_else(|| TapdError::invalid(format!("missing parameter: {name}")))
    }
}

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = TapdError;

    async fn from_request(request: Request, state: &S) -> Result<Self, TapdError> {
        let mut input = Input::from_query(request.uri().query().unwrap_or(""));
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| TapdError::invalid("the request body could not be read"))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(input);
        }
        if json {
            input.parse_json(&body)?;
        } else {
            input.parse_form(&body);
        }
        Ok(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_json_read_alike() {
        let mut form = Input::default();
        form.parse_form(b"workspace_id=41000001&cost_ids%5B%5D=1&cost_ids[]=2&memo=");
        assert_eq!(form.get("workspace_id"), Some("41000001"));
        assert_eq!(form.all("cost_ids"), vec!["1", "2"]);
        assert_eq!(form.get("memo"), None);
        assert_eq!(form.raw("memo"), Some(""));

        let mut json = Input::default();
        json.parse_json(br#"{"workspace_id":41000001,"cost_ids":["1",2],"memo":null}"#)
            .expect("json");
        assert_eq!(json.get("workspace_id"), Some("41000001"));
        assert_eq!(json.all("cost_ids"), vec!["1", "2"]);
        assert!(json.required("owner").is_err());
        assert!(Input::default().parse_json(b"[1]").is_err());
    }
}
