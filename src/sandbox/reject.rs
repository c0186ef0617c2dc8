//! A refusal: a status and a JSON body in the API's error shape, shared by every provider's
//! routes, the request parser and the router's fallbacks.
//!
//! [`Reject::detail`] and [`Reject::validation`] are the FastAPI shapes (AgentPhone, Anyreach and
//! the sandbox's own 404/405); a provider with another shape builds the body itself.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A refusal in one of the API's error shapes.
#[derive(Debug)]
pub struct Reject(pub StatusCode, pub Value);

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

impl Reject {
    /// `{"detail": "…"}` with a status.
    pub fn detail(status: StatusCode, detail: &str) -> Self {
        Self(status, json!({ "detail": detail }))
    }

    pub fn not_found(what: &str) -> Self {
        Self::detail(StatusCode::NOT_FOUND, &format!("{what} not found"))
    }

    /// FastAPI's 422 with one pydantic error.
    pub fn validation(
        kind: &str,
        loc: &[&str],
        msg: &str,
        input: Value,
        ctx: Option<Value>,
    ) -> Self {
        let mut error = json!({"type": kind, "loc": loc, "msg": msg});
        error["input"] = input;
        if let Some(ctx) = ctx {
            error["ctx"] = ctx;
        }
        Self(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "detail": [error] }),
        )
    }
}
