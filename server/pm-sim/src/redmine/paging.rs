//! Query parameters (parsed without panicking) and `offset`/`limit` paging
//! (`limit` 1–100, default 25; `page=` when `offset` is absent).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::{Map, Value};

/// The query string's pairs, in order.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: &str) -> Self {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The last value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A non-negative integer; anything else reads as absent (as Redmine's
    /// `to_i` does, near enough).
    pub fn number(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.trim().parse().ok())
    }

    /// Whether `include` names `what`.
    pub fn includes(&self, what: &str) -> bool {
        self.0
            .iter()
            .filter(|(k, _)| k == "include")
            .flat_map(|(_, v)| v.split(','))
            .any(|v| v.trim() == what)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// An `offset`/`limit` window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl Page {
    pub fn from_params(params: &Params) -> Page {
        let limit = match params.number("limit") {
            Some(n) if n >= 1 => n.min(100) as usize,
            _ => 25,
        };
        let offset = match params.number("offset") {
            Some(n) => n.max(0) as usize,
            None => match params.number("page") {
                Some(p) if p > 1 => (p as usize - 1).saturating_mul(limit),
                _ => 0,
            },
        };
        Page { offset, limit }
    }

    /// `{"<name>":[this window],"total_count","offset","limit"}`.
    pub fn envelope(&self, name: &str, items: Vec<Value>) -> Value {
        let total = items.len();
        let window: Vec<Value> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        let mut out = Map::new();
        out.insert(name.to_owned(), Value::Array(window));
        out.insert("total_count".to_owned(), Value::from(total));
        out.insert("offset".to_owned(), Value::from(self.offset));
        out.insert("limit".to_owned(), Value::from(self.limit));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_clamp_and_pages_become_offsets() {
        let page = |q: &str| Page::from_params(&Params::parse(q));
        assert_eq!(
            page(""),
            Page {
                offset: 0,
                limit: 25
            }
        );
        assert_eq!(
            page("limit=0"),
            Page {
                offset: 0,
                limit: 25
            }
        );
        assert_eq!(
            page("limit=500&offset=3"),
            Page {
                offset: 3,
                limit: 100
            }
        );
        assert_eq!(
            page("limit=10&page=3"),
            Page {
                offset: 20,
                limit: 10
            }
        );
        assert_eq!(
            page("limit=x&offset=-4"),
            Page {
                offset: 0,
                limit: 25
            }
        );
        let body = page("limit=2&offset=1").envelope("xs", (0..5).map(Value::from).collect());
        assert_eq!(body["xs"], serde_json::json!([1, 2]));
        assert_eq!(body["total_count"], 5);
    }
}
