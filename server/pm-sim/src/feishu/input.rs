//! Reading request bodies (JSON objects) and paging parameters without
//! panicking: anything unexpected is Feishu's "invalid param".

use serde_json::{Map, Value};

use super::error::{FeishuError, FeishuResult, PAGE_SIZE_LIMIT};

/// The body as a JSON object.
pub fn object(body: &[u8]) -> FeishuResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(FeishuError::invalid(
            "the request body must be a JSON object",
        )),
        Err(e) => Err(FeishuError::invalid(format!("invalid JSON body: {e}"))),
    }
}

/// A whole number field, if present.
pub fn int(body: &Map<String, Value>, name: &str) -> FeishuResult<Option<i64>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| FeishuError::invalid(format!("{name} must be an integer"))),
    }
}

/// A text field, if present.
pub fn text<'a>(body: &'a Map<String, Value>, name: &str) -> FeishuResult<Option<&'a str>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(FeishuError::invalid(format!("{name} must be a string"))),
    }
}

/// A list of texts, empty when absent.
pub fn texts(body: &Map<String, Value>, name: &str) -> FeishuResult<Vec<String>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    FeishuError::invalid(format!("{name} must be a list of strings"))
                })
            })
            .collect(),
        Some(_) => Err(FeishuError::invalid(format!("{name} must be a list"))),
    }
}

/// A list of whole numbers, empty when absent.
pub fn ints(body: &Map<String, Value>, name: &str) -> FeishuResult<Vec<i64>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_i64().ok_or_else(|| {
                    FeishuError::invalid(format!("{name} must be a list of integers"))
                })
            })
            .collect(),
        Some(_) => Err(FeishuError::invalid(format!("{name} must be a list"))),
    }
}

/// A `page_num`/`page_size` window (1-based page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub num: usize,
    pub size: usize,
}

impl Page {
    /// From a body: `page_num` ≥ 1 (default 1), `page_size` 1..=`max`
    /// (default `default`); a larger size is refused with Feishu's
    /// "page size limit".
    pub fn read(body: &Map<String, Value>, default: usize, max: usize) -> FeishuResult<Page> {
        let num = int(body, "page_num")?.unwrap_or(1);
        let size = int(body, "page_size")?.unwrap_or(default as i64);
        if num < 1 {
            return Err(FeishuError::invalid("page_num must be at least 1"));
        }
        if size < 1 {
            return Err(FeishuError::invalid("page_size must be at least 1"));
        }
        if size as u64 > max as u64 {
            return Err(FeishuError::new(
                PAGE_SIZE_LIMIT,
                format!("page_size must be at most {max}"),
            ));
        }
        Ok(Page {
            num: num as usize,
            size: size as usize,
        })
    }

    /// This page's part of `items`.
    pub fn window<T: Clone>(&self, items: &[T]) -> Vec<T> {
        items
            .iter()
            .skip((self.num - 1).saturating_mul(self.size))
            .take(self.size)
            .cloned()
            .collect()
    }

    /// Whether items remain after this page.
    pub fn has_more(&self, total: usize) -> bool {
        self.num.saturating_mul(self.size) < total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn pages_are_read_and_limited() {
        let page = Page::read(&body(json!({"page_num": 2, "page_size": 3})), 50, 50).expect("page");
        assert_eq!(page.window(&[1, 2, 3, 4, 5, 6, 7]), vec![4, 5, 6]);
        assert!(page.has_more(7));
        assert!(!page.has_more(6));
        assert_eq!(
            Page::read(&body(json!({})), 50, 100).expect("page").size,
            50
        );
        assert_eq!(
            Page::read(&body(json!({"page_size": 101})), 50, 100).map_err(|e| e.code),
            Err(PAGE_SIZE_LIMIT)
        );
        assert!(Page::read(&body(json!({"page_num": 0})), 50, 100).is_err());
        assert!(Page::read(&body(json!({"page_num": "1"})), 50, 100).is_err());
    }

    #[test]
    fn bodies_must_be_objects() {
        assert!(object(b"[1]").is_err());
        assert!(object(b"{").is_err());
        assert!(object(b"{\"a\":1}").is_ok());
    }
}
