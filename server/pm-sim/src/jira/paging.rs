//! Query parameters (repeatable, parsed without panicking) and
//! `startAt`/`maxResults` paging.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::{JiraError, JiraResult};

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

    /// Every value of `name` (repeated or comma-separated).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// An integer parameter; a value that is not one is a 400.
    pub fn int(&self, name: &str) -> JiraResult<Option<i64>> {
        match self.get(name) {
            None | Some("") => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| {
                JiraError::bad_request(format!(
                    "The value '{text}' is not valid for the parameter '{name}'."
                ))
            }),
        }
    }

    /// Whether `expand` names `what`.
    pub fn expands(&self, what: &str) -> bool {
        self.all("expand").iter().any(|e| e == what)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// A `startAt`/`maxResults` window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub start_at: usize,
    pub max_results: usize,
}

impl Page {
    /// Reads `startAt` (default 0) and `maxResults` (default `default`,
    /// capped at `max`; negative values are 400).
    pub fn from_params(params: &Params, default: usize, max: usize) -> JiraResult<Page> {
        let start_at = params.int("startAt")?.unwrap_or(0);
        let max_results = params.int("maxResults")?.unwrap_or(default as i64);
        Page::new(start_at, max_results, max)
    }

    pub fn new(start_at: i64, max_results: i64, max: usize) -> JiraResult<Page> {
        if start_at < 0 {
            return Err(JiraError::bad_request("'startAt' must be zero or greater."));
        }
        if max_results < 0 {
            return Err(JiraError::bad_request(
                "'maxResults' must be zero or greater.",
            ));
        }
        Ok(Page {
            start_at: start_at as usize,
            max_results: (max_results as usize).min(max),
        })
    }

    /// This window of `items`.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.start_at.min(items.len());
        let end = start.saturating_add(self.max_results).min(items.len());
        items.get(start..end).unwrap_or(&[])
    }

    /// Whether the window reaches the end of `total` items.
    pub fn is_last(&self, total: usize) -> bool {
        self.start_at.saturating_add(self.max_results) >= total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_and_report_the_last_one() {
        let items: Vec<u32> = (0..7).collect();
        let page = Page::new(5, 50, 100).unwrap();
        assert_eq!(page.slice(&items), &[5, 6]);
        assert!(page.is_last(7));
        assert_eq!(Page::new(9, 5, 100).unwrap().slice(&items), &[] as &[u32]);
        assert_eq!(Page::new(0, 500, 100).unwrap().max_results, 100);
        assert!(Page::new(-1, 5, 100).is_err());
    }

    #[test]
    fn params_repeat_and_split_on_commas() {
        let p = Params::parse("keys=A&keys=B,C&startAt=x&expand=properties");
        assert_eq!(p.all("keys"), ["A", "B", "C"]);
        assert!(p.int("startAt").is_err());
        assert!(p.expands("properties"));
    }
}
