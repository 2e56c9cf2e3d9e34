//! TAPD's list conventions: `limit` (default 30, at most 200), `page` (from
//! 1; `page × limit` at most the depth limit), `order=<field> asc|desc`,
//! `fields=a,b`, and the filter operators: dates `a~b` (inclusive), `<a`,
//! `>a` (strict; unconfirmed), a plain date; enums `a|b`; ids `a,b`.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::error::{TapdError, TapdResult};
use super::input::Input;

/// Rows per page when `limit` is absent or not a positive number.
pub const DEFAULT_LIMIT: usize = 30;
/// The largest `limit` honoured (larger ones are cut to it).
pub const MAX_LIMIT: usize = 200;

/// A page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub page: usize,
}

impl Page {
    pub fn from_input(input: &Input, max_rows: usize) -> TapdResult<Page> {
        let limit = match input.get("limit").and_then(|l| l.parse::<i64>().ok()) {
            Some(n) if n >= 1 => (n as usize).min(MAX_LIMIT),
            _ => DEFAULT_LIMIT,
        };
        let page = match input.get("page").and_then(|p| p.parse::<i64>().ok()) {
            Some(n) if n >= 1 => n as usize,
            _ => 1,
        };
        if page.saturating_mul(limit) > max_rows {
            return Err(TapdError::invalid(format!(
                "page * limit may not exceed {max_rows}; narrow the query"
            )));
        }
        Ok(Page { limit, page })
    }

    pub fn window<T>(&self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .skip((self.page - 1).saturating_mul(self.limit))
            .take(self.limit)
            .collect()
    }
}

/// `order=<field> asc|desc`; `None` when absent or not understood.
pub fn order(input: &Input) -> Option<(String, bool)> {
    let text = input.get("order")?;
    let mut words = text.split_whitespace();
    let field = words.next()?.to_ascii_lowercase();
    let descending = words.next().is_some_and(|w| w.eq_ignore_ascii_case("desc"));
    Some((field, descending))
}

/// Keeps only the `fields=` asked for (all when absent).
pub fn pick(object: Value, input: &Input) -> Value {
    let Some(fields) = input.get("fields") else {
        return object;
    };
    let wanted: Vec<&str> = fields
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    match object {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| wanted.contains(&k.as_str()))
                .collect::<Map<String, Value>>(),
        ),
        other => other,
    }
}

/// A date filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    On(NaiveDate),
    Between(NaiveDate, NaiveDate),
    Before(NaiveDate),
    After(NaiveDate),
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

impl Dates {
    pub fn parse(text: &str) -> Option<Dates> {
        let text = text.trim();
        if let Some((a, b)) = text.split_once('~') {
            return Some(Dates::Between(date(a)?, date(b)?));
        }
        if let Some(a) = text.strip_prefix('<') {
            return Some(Dates::Before(date(a)?));
        }
        if let Some(a) = text.strip_prefix('>') {
            return Some(Dates::After(date(a)?));
        }
        date(text).map(Dates::On)
    }

    /// The filter on `name`, if given (422 when it is not a date filter).
    pub fn from_input(input: &Input, name: &str) -> TapdResult<Option<Dates>> {
        match input.get(name) {
            None => Ok(None),
            Some(text) => Dates::parse(text).map(Some).ok_or_else(|| {
                TapdError::invalid(format!(
                    "{name} must be a date (YYYY-MM-DD), a range a~b, <a or >a"
                ))
            }),
        }
    }

    pub fn matches(&self, day: NaiveDate) -> bool {
        match *self {
            Dates::On(d) => day == d,
            Dates::Between(a, b) => day >= a && day <= b,
            Dates::Before(d) => day < d,
            Dates::After(d) => day > d,
        }
    }
}

/// Values of an enum filter (`open|progressing`); `None` when absent.
pub fn one_of<'a>(input: &'a Input, name: &str) -> Option<Vec<&'a str>> {
    input.get(name).map(|v| {
        v.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// Values of an id filter (`a,b`); `None` when absent.
pub fn ids<'a>(input: &'a Input, name: &str) -> Option<Vec<&'a str>> {
    input.get(name).map(|v| {
        v.split([',', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(q: &str) -> TapdResult<Page> {
        Page::from_input(&Input::from_query(q), 20_000)
    }

    #[test]
    fn limits_default_cap_and_stop_at_the_depth_limit() {
        assert_eq!(page("").ok(), Some(Page { limit: 30, page: 1 }));
        assert_eq!(
            page("limit=500&page=2").ok(),
            Some(Page {
                limit: 200,
                page: 2
            })
        );
        assert_eq!(
            page("limit=x&page=-1").ok(),
            Some(Page { limit: 30, page: 1 })
        );
        assert!(page("limit=200&page=100").is_ok());
        assert!(page("limit=200&page=101").is_err());
        let p = Page { limit: 2, page: 2 };
        assert_eq!(p.window(vec![1, 2, 3, 4, 5]), vec![3, 4]);
    }

    #[test]
    fn date_filters_read_tapds_operators() {
        let d = |s: &str| date(s).expect("date");
        let range = Dates::parse("2026-03-01~2026-03-31").expect("range");
        assert!(range.matches(d("2026-03-01")) && range.matches(d("2026-03-31")));
        assert!(!range.matches(d("2026-04-01")));
        assert_eq!(
            Dates::parse("<2026-03-02"),
            Some(Dates::Before(d("2026-03-02")))
        );
        assert!(!Dates::parse(">2026-03-02")
            .expect("after")
            .matches(d("2026-03-02")));
        assert_eq!(Dates::parse("2026-03-02"), Some(Dates::On(d("2026-03-02"))));
        assert_eq!(Dates::parse("yesterday"), None);
    }

    #[test]
    fn orders_and_fields() {
        let input = Input::from_query("order=created%20DESC&fields=id,name");
        assert_eq!(order(&input), Some(("created".to_owned(), true)));
        let picked = pick(serde_json::json!({"id":"1","name":"x","owner":"a"}), &input);
        assert_eq!(picked, serde_json::json!({"id":"1","name":"x"}));
    }
}
