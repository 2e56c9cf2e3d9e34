//! Query parameters and ZenTao's `page`/`limit` paging: `limit` default 20
//! (0 = everything), and a page past the end answers page 1, as ZenTao's
//! pager does (`setPageID`).

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

    pub fn number(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.trim().parse().ok())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// How the envelope's `page` and `limit` are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// As numbers (most lists).
    Numbers,
    /// As the query string gave them (`"page":"2"`): the executions list
    /// echoes `$pager->recPerPage` and `pageID` uncast.
    Strings,
}

/// `{"page","total","limit","<name>":[this page]}`.
pub fn envelope(params: &Params, name: &str, items: Vec<Value>, echo: Echo) -> Value {
    let total = items.len();
    let limit = match params.number("limit") {
        Some(n) if n > 0 => n as usize,
        Some(_) => 0,
        None => 20,
    };
    let (page, window) = if limit == 0 {
        (1, items)
    } else {
        let pages = total.div_ceil(limit);
        let asked = params.number("page").unwrap_or(1);
        let page = if asked >= 1 && (asked as usize) <= pages {
            asked as usize
        } else {
            1
        };
        let window = items
            .into_iter()
            .skip((page - 1) * limit)
            .take(limit)
            .collect();
        (page, window)
    };
    let shown_limit = if limit == 0 { total } else { limit };
    let mut out = Map::new();
    match echo {
        Echo::Numbers => {
            out.insert("page".into(), Value::from(page));
            out.insert("total".into(), Value::from(total));
            out.insert("limit".into(), Value::from(shown_limit));
        }
        Echo::Strings => {
            out.insert("page".into(), Value::from(page.to_string()));
            out.insert("total".into(), Value::from(total));
            out.insert("limit".into(), Value::from(shown_limit.to_string()));
        }
    }
    out.insert(name.to_owned(), Value::Array(window));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_past_the_end_answer_page_one() {
        let items = || (0..5).map(Value::from).collect::<Vec<_>>();
        let at = |q: &str| envelope(&Params::parse(q), "xs", items(), Echo::Numbers);
        assert_eq!(at("limit=2&page=2")["xs"], json!([2, 3]));
        assert_eq!(at("limit=2&page=3")["xs"], json!([4]));
        let past = at("limit=2&page=4");
        assert_eq!(
            (past["page"].clone(), past["xs"].clone()),
            (json!(1), json!([0, 1]))
        );
        assert_eq!(at("")["limit"], json!(20));
        assert_eq!(at("limit=0")["xs"], json!([0, 1, 2, 3, 4]));
        let echoed = envelope(
            &Params::parse("limit=2&page=2"),
            "xs",
            items(),
            Echo::Strings,
        );
        assert_eq!(
            (echoed["page"].clone(), echoed["limit"].clone()),
            (json!("2"), json!("2"))
        );
    }
}
