//! Reading requests the way the real servers' frameworks do (FastAPI / Starlette): query pairs
//! with typed, bounded values and JSON bodies, each failure a 422 in FastAPI's shape. Every
//! provider's routes use these, so none imports another's routes.

use axum::body::Bytes;
use serde_json::{Map, Value, json};

use super::Time;
use super::reject::Reject;
use crate::api::lenient::parse_time;

/// Query pairs in order; like Starlette, the last value of a repeated key wins.
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An integer parameter with FastAPI's bounds errors.
    pub fn int(
        &self,
        name: &str,
        default: i64,
        min: i64,
        max: Option<i64>,
    ) -> Result<usize, Reject> {
        let Some(raw) = self.get(name) else {
            return Ok(usize::try_from(default).unwrap_or(0));
        };
        let loc = ["query", name];
        let value: i64 = raw.trim().parse().map_err(|_| {
            Reject::validation(
                "int_parsing",
                &loc,
                "Input should be a valid integer, unable to parse string as an integer",
                json!(raw),
                None,
            )
        })?;
        if value < min {
            let msg = format!("Input should be greater than or equal to {min}");
            return Err(Reject::validation(
                "greater_than_equal",
                &loc,
                &msg,
                json!(raw),
                Some(json!({"ge": min})),
            ));
        }
        if let Some(max) = max.filter(|max| value > *max) {
            let msg = format!("Input should be less than or equal to {max}");
            return Err(Reject::validation(
                "less_than_equal",
                &loc,
                &msg,
                json!(raw),
                Some(json!({"le": max})),
            ));
        }
        Ok(usize::try_from(value).unwrap_or(0))
    }

    /// A datetime parameter parsed the pydantic way (RFC 3339, naive as UTC, or unix seconds).
    pub fn time(&self, name: &str) -> Result<Option<Time>, Reject> {
        let Some(raw) = self.get(name).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let parsed = parse_time(raw).or_else(|| {
            raw.parse::<i64>()
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        });
        parsed.map(Some).ok_or_else(|| {
            Reject::validation(
                "datetime_from_date_parsing",
                &["query", name],
                "Input should be a valid datetime or date, unexpected extra characters at the end of the input",
                json!(raw),
                Some(json!({"error": "unexpected extra characters at the end of the input"})),
            )
        })
    }
}

/// Parses a JSON request body into an object, FastAPI style.
pub fn body_object(body: &Bytes) -> Result<Map<String, Value>, Reject> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Reject::validation(
            "json_invalid",
            &["body", &e.column().to_string()],
            "JSON decode error",
            json!({}),
            Some(json!({"error": e.to_string()})),
        )
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(Reject::validation(
            "model_attributes_type",
            &["body"],
            "Input should be a valid dictionary or object to extract fields from",
            other,
            None,
        )),
    }
}
