//! Request parameters, read leniently: JSON or form bodies, numbers or
//! numeric strings, lists as JSON arrays, JSON-array strings or
//! comma-separated strings.

use serde_json::{Map, Value};

/// Why a parameter could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamError {
    Missing(&'static str),
    Invalid(&'static str),
}

/// The parameters of one call.
#[derive(Debug, Default)]
pub struct Params {
    map: Map<String, Value>,
}

impl Params {
    /// Reads a body: form-encoded when the content type says so, JSON
    /// otherwise; an empty body has no parameters. `Err` = unreadable body.
    pub fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Params, ()> {
        // A JSON object sent with a form content type (curl's default) is still JSON.
        let looks_like_json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{');
        let is_form = !looks_like_json
            && content_type
                .is_some_and(|c| c.to_ascii_lowercase().contains("x-www-form-urlencoded"));
        if is_form {
            let map = form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect();
            return Ok(Params { map });
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params::default());
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Params { map }),
            _ => Err(()),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A number (JSON number or numeric string).
    pub fn i64(&self, name: &'static str) -> Result<Option<i64>, ParamError> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        let parsed = match value {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) if s.trim().is_empty() => return Ok(None),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        parsed.map(Some).ok_or(ParamError::Invalid(name))
    }

    pub fn require_i64(&self, name: &'static str) -> Result<i64, ParamError> {
        self.i64(name)?.ok_or(ParamError::Missing(name))
    }

    /// A string (numbers are taken as their decimal text).
    pub fn string(&self, name: &'static str) -> Result<Option<String>, ParamError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(ParamError::Invalid(name)),
        }
    }

    pub fn require_string(&self, name: &'static str) -> Result<String, ParamError> {
        self.string(name)?.ok_or(ParamError::Missing(name))
    }

    /// A JSON boolean, if present.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(Value::as_bool)
    }

    /// A list of strings: a JSON array, a string holding a JSON array, or a
    /// comma-separated string.
    pub fn string_list(&self, name: &'static str) -> Result<Option<Vec<String>>, ParamError> {
        let items = match self.get(name) {
            None => return Ok(None),
            Some(Value::Array(items)) => items.clone(),
            Some(Value::String(s)) if s.trim_start().starts_with('[') => {
                match serde_json::from_str::<Vec<Value>>(s) {
                    Ok(items) => items,
                    Err(_) => return Err(ParamError::Invalid(name)),
                }
            }
            Some(Value::String(s)) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
            Some(Value::Number(n)) => vec![Value::Number(n.clone())],
            Some(_) => return Err(ParamError::Invalid(name)),
        };
        items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_owned()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(ParamError::Invalid(name)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub fn require_string_list(&self, name: &'static str) -> Result<Vec<String>, ParamError> {
        self.string_list(name)?.ok_or(ParamError::Missing(name))
    }
}

/// Removes repeated entries, keeping the first.
pub fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_numeric_strings_alike() {
        let p = Params::from_body(
            None,
            br#"{"a":1,"b":"2","c":"x","d":[1,"u2"],"e":"u1, u2"}"#,
        )
        .unwrap();
        assert_eq!(p.i64("a"), Ok(Some(1)));
        assert_eq!(p.i64("b"), Ok(Some(2)));
        assert_eq!(p.i64("c"), Err(ParamError::Invalid("c")));
        assert_eq!(p.i64("z"), Ok(None));
        assert_eq!(p.string("a"), Ok(Some("1".to_owned())));
        assert_eq!(
            p.string_list("d"),
            Ok(Some(vec!["1".to_owned(), "u2".to_owned()]))
        );
        assert_eq!(
            p.string_list("e"),
            Ok(Some(vec!["u1".to_owned(), "u2".to_owned()]))
        );
    }

    #[test]
    fn form_bodies_are_read() {
        let p = Params::from_body(
            Some("application/x-www-form-urlencoded"),
            b"dept_id=1&userIdList=%5B%22u1%22%5D",
        )
        .unwrap();
        assert_eq!(p.i64("dept_id"), Ok(Some(1)));
        assert_eq!(p.string_list("userIdList"), Ok(Some(vec!["u1".to_owned()])));
        assert!(Params::from_body(None, b"{oops").is_err());
    }
}
