//! `ApiError`: every way a provider call can fail, in classes a UI can act on.
//!
//! The text of each variant is written for the status bar: what failed and what to do next.
//! Error bodies come in many shapes (`providers.md` 1.8, 2.1, 3.1); [`ErrorBody::parse`] reads them all.

use std::time::Duration;

use serde_json::Value;

use crate::text;

/// Longest excerpt of a server body kept in an error (characters).
const EXCERPT_CHARS: usize = 160;

/// A failed provider call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401/403: the key is missing, wrong, revoked or lacks a scope.
    #[error("not authorised (HTTP {status}): {message}. Check the API key")]
    Auth { status: u16, message: String },
    /// 404: the id does not exist or is not visible to this key.
    #[error("not found: {message}")]
    NotFound { message: String },
    /// 400/422: the server rejected the request's content.
    #[error("rejected (HTTP {status}): {}", validation_text(field.as_deref(), message))]
    Validation {
        status: u16,
        field: Option<String>,
        message: String,
    },
    /// 409: the resource is in a state that does not allow this.
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// 429: too many requests. `retry_after` is the server's wait, when it sent one.
    #[error("rate limited{}", retry_text(*retry_after))]
    RateLimited {
        retry_after: Option<Duration>,
        message: String,
    },
    /// 5xx: the server failed.
    #[error("server error (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    /// Any other HTTP status the client does not classify.
    #[error("unexpected HTTP {status}: {message}")]
    Status { status: u16, message: String },
    /// No answer within the request timeout. For a send, the message may or may not have gone out.
    #[error("timed out after {}s", .after.as_secs())]
    Timeout { after: Duration },
    /// The connection failed or dropped. For a send, the message may or may not have gone out.
    #[error("connection failed: {message}")]
    Connection { message: String },
    /// The provider (or this session: read-only) cannot do this at all; nothing was sent.
    #[error("{message}")]
    Unsupported { message: String },
    /// The server answered with a body we cannot read. Nothing of it is used.
    #[error("unreadable reply from server: {message} (body starts: {excerpt:?})")]
    Decode { message: String, excerpt: String },
}

fn validation_text(field: Option<&str>, message: &str) -> String {
    match field {
        Some(field) => format!("{field}: {message}"),
        None => message.to_owned(),
    }
}

fn retry_text(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(", retry in {}s", wait.as_secs().max(1)),
        None => String::new(),
    }
}

/// Short names of the error classes, for counters and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorClass {
    Auth,
    NotFound,
    Validation,
    Conflict,
    RateLimited,
    Server,
    Status,
    Timeout,
    Connection,
    Decode,
    Unsupported,
}

impl ApiError {
    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Auth { .. } => ErrorClass::Auth,
            Self::NotFound { .. } => ErrorClass::NotFound,
            Self::Validation { .. } => ErrorClass::Validation,
            Self::Conflict { .. } => ErrorClass::Conflict,
            Self::RateLimited { .. } => ErrorClass::RateLimited,
            Self::Server { .. } => ErrorClass::Server,
            Self::Status { .. } => ErrorClass::Status,
            Self::Timeout { .. } => ErrorClass::Timeout,
            Self::Connection { .. } => ErrorClass::Connection,
            Self::Decode { .. } => ErrorClass::Decode,
            Self::Unsupported { .. } => ErrorClass::Unsupported,
        }
    }

    /// Worth retrying an idempotent request: the failure is transient.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Timeout { .. }
                | Self::Connection { .. }
        )
    }

    /// For a non-idempotent request (a send): the server may have acted on it even though we got
    /// no success answer. The user must be told, and the thread checked before any resend.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::Server { .. }
                | Self::Timeout { .. }
                | Self::Connection { .. }
                | Self::Decode { .. }
        )
    }

    /// Builds the error for a non-success HTTP status from its body.
    pub fn from_status(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let parsed = ErrorBody::parse(body);
        let message = parsed.message.unwrap_or_else(|| default_message(status));
        match status {
            401 | 403 => Self::Auth { status, message },
            404 => Self::NotFound { message },
            400 | 422 => Self::Validation {
                status,
                field: parsed.field,
                message,
            },
            409 => Self::Conflict { message },
            429 => Self::RateLimited {
                retry_after,
                message,
            },
            500..=599 => Self::Server { status, message },
            _ => Self::Status { status, message },
        }
    }

    /// A decode failure with a short, sanitised excerpt of the offending body.
    pub fn decode(message: impl Into<String>, body: &[u8]) -> Self {
        Self::Decode {
            message: message.into(),
            excerpt: excerpt(body),
        }
    }

    /// A reply whose envelope (or single record) could not be read: what it should have been,
    /// where it went wrong, and the start of the body.
    pub fn unreadable(what: &str, why: &super::lenient::Unreadable, body: &Value) -> Self {
        let at = if why.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", why.path)
        };
        Self::decode(
            format!("not {what}: {}{at}", why.problem),
            body.to_string().as_bytes(),
        )
    }
}

fn default_message(status: u16) -> String {
    match status {
        401 => "the API key was not accepted".into(),
        403 => "the API key is not allowed to do this".into(),
        404 => "no such item".into(),
        429 => "too many requests".into(),
        500..=599 => "the server failed to answer".into(),
        _ => format!("HTTP {status}"),
    }
}

/// A short, single-line, control-free excerpt of a body for error text.
pub fn excerpt(body: &[u8]) -> String {
    text::excerpt(&String::from_utf8_lossy(body), EXCERPT_CHARS)
}

/// The useful parts of an error body, whatever its shape.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub field: Option<String>,
}

impl ErrorBody {
    /// Reads `{"detail": str}`, `{"detail": [{loc, msg}]}`, `{"error": str}`,
    /// `{"error": {message, details: [{field, message}]}}`, `{"message": str}`,
    /// `{"errors": [...]}`, `{"description", "errors"}` and plain text. Never fails.
    pub fn parse(body: &[u8]) -> Self {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            return Self::from_json(&value);
        }
        let text = excerpt(body);
        Self {
            message: (!text.trim().is_empty()).then(|| text.trim().to_owned()),
            field: None,
        }
    }

    fn from_json(value: &Value) -> Self {
        let Some(obj) = value.as_object() else {
            return Self {
                message: value.as_str().map(text::sanitize_line),
                field: None,
            };
        };
        for key in ["detail", "error", "errors", "message", "description"] {
            if let Some(found) = obj.get(key).and_then(Self::from_part) {
                return found;
            }
        }
        Self::default()
    }

    fn from_part(part: &Value) -> Option<Self> {
        match part {
            Value::String(s) if !s.trim().is_empty() => Some(Self {
                message: Some(text::sanitize_line(s)),
                field: None,
            }),
            Value::Array(items) => items.iter().find_map(Self::from_item),
            Value::Object(obj) => {
                let field = obj
                    .get("details")
                    .and_then(Value::as_array)
                    .and_then(|d| d.iter().find_map(Self::from_item))
                    .and_then(|d| d.field);
                let message = ["message", "msg", "error", "code"]
                    .iter()
                    .find_map(|k| obj.get(*k).and_then(Value::as_str))
                    .map(text::sanitize_line)?;
                Some(Self {
                    message: Some(message),
                    field,
                })
            }
            _ => None,
        }
    }

    /// One item of a validation list: FastAPI `{loc, msg}` or `{field, message}`, or a string.
    fn from_item(item: &Value) -> Option<Self> {
        if let Some(s) = item.as_str() {
            return Self::from_part(&Value::String(s.to_owned()));
        }
        let obj = item.as_object()?;
        let message = ["msg", "message", "error"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .map(text::sanitize_line)?;
        let field = obj
            .get("loc")
            .and_then(Value::as_array)
            .map(|loc| field_from_loc(loc))
            .or_else(|| {
                obj.get("field")
                    .and_then(Value::as_str)
                    .map(text::sanitize_line)
            })
            .filter(|f| !f.is_empty());
        Some(Self {
            message: Some(message),
            field,
        })
    }
}

/// FastAPI's `loc` (`["query", "limit"]`, `["body", "to_number"]`) as `limit` / `to_number`.
fn field_from_loc(loc: &[Value]) -> String {
    let parts: Vec<String> = loc
        .iter()
        .skip_while(|p| matches!(p.as_str(), Some("query" | "body" | "path" | "header")))
        .map(|p| match p {
            Value::String(s) => text::sanitize_line(s),
            other => other.to_string(),
        })
        .collect();
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ErrorBody {
        ErrorBody::parse(s.as_bytes())
    }

    #[test]
    fn reads_every_documented_body_shape() {
        let cases = [
            (
                r#"{"detail":"Conversation not found"}"#,
                "Conversation not found",
                None,
            ),
            (
                r#"{"detail":[{"loc":["query","limit"],"msg":"Input should be less than or equal to 100","type":"less_than_equal"}]}"#,
                "Input should be less than or equal to 100",
                Some("limit"),
            ),
            (
                r#"{"error":"Invalid Access Token"}"#,
                "Invalid Access Token",
                None,
            ),
            (
                r#"{"error":{"message":"Bad number","code":"VALIDATION_ERROR","details":[{"field":"to_number","message":"bad"}]}}"#,
                "Bad number",
                Some("to_number"),
            ),
            (r#"{"message":"A, B","attributes":["a"]}"#, "A, B", None),
            (r#"{"errors":["first problem"]}"#, "first problem", None),
            (
                r#"{"description":"x","errors":[{"field":"name","message":"blank","code":"c"}]}"#,
                "blank",
                Some("name"),
            ),
            ("Retry later\n", "Retry later", None),
        ];
        for (body, message, field) in cases {
            let parsed = parse(body);
            assert_eq!(parsed.message.as_deref(), Some(message), "{body}");
            assert_eq!(parsed.field.as_deref(), field, "{body}");
        }
    }

    #[test]
    fn empty_and_odd_bodies_give_no_message() {
        assert_eq!(parse(""), ErrorBody::default());
        assert_eq!(parse("{}"), ErrorBody::default());
        assert_eq!(parse(r#"{"detail": 5}"#), ErrorBody::default());
    }

    #[test]
    fn status_codes_map_to_classes() {
        let cases = [
            (401, ErrorClass::Auth),
            (403, ErrorClass::Auth),
            (404, ErrorClass::NotFound),
            (400, ErrorClass::Validation),
            (422, ErrorClass::Validation),
            (409, ErrorClass::Conflict),
            (429, ErrorClass::RateLimited),
            (500, ErrorClass::Server),
            (503, ErrorClass::Server),
            (418, ErrorClass::Status),
        ];
        for (status, class) in cases {
            assert_eq!(ApiError::from_status(status, None, b"").class(), class);
        }
    }

    #[test]
    fn excerpts_are_short_and_free_of_escapes() {
        let body = format!("\x1b]0;pwned\x07{}", "x".repeat(500));
        let out = excerpt(body.as_bytes());
        assert!(!out.contains('\x1b'));
        assert!(!out.contains('\x07'));
        assert!(out.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn messages_read_well_in_a_status_bar() {
        let err = ApiError::from_status(
            422,
            None,
            br#"{"detail":[{"loc":["query","limit"],"msg":"too big"}]}"#,
        );
        assert_eq!(err.to_string(), "rejected (HTTP 422): limit: too big");
        let err = ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
            message: "slow down".into(),
        };
        assert_eq!(err.to_string(), "rate limited, retry in 7s");
    }
}
