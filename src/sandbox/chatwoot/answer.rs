//! What every Chatwoot route answers with and reads: the reply type, Chatwoot's error bodies,
//! the account check, body fields, and the message page a query selects (application and public
//! API alike).

use axum::Json;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::data::{ACCOUNT, MsgRec};
use crate::sandbox::reject::Reject;
use crate::sandbox::request::Query;

pub type Reply = Result<Json<Value>, Reject>;

/// Messages per latest, `before` and `before_timestamp` page.
const MESSAGES: usize = 20;
/// Messages per `after` page.
const MESSAGES_AFTER: usize = 100;
/// Messages per `after` + `before` range.
const MESSAGES_BETWEEN: usize = 1000;

pub fn error(status: StatusCode, text: &str) -> Reject {
    Reject(status, json!({ "error": text }))
}

pub fn not_found() -> Reject {
    error(StatusCode::NOT_FOUND, "Resource could not be found")
}

pub fn account(id: u64) -> Result<(), Reject> {
    if id == ACCOUNT {
        Ok(())
    } else {
        Err(error(
            StatusCode::UNAUTHORIZED,
            "You are not authorized to do this action",
        ))
    }
}

/// Chatwoot's `MessageFinder` over messages in `created_at` order: `after` and `before`
/// together, up to 1000 with `after <= id < before`; `before`, the 20 latest with
/// `id < before`; `after`, the first 100 with `id > after`; `before_timestamp` (unix seconds),
/// the 20 latest created before it; else the latest 20. Always oldest first. The id filters
/// select by id but order by time, so where ids do not follow time (imported history) a walk
/// by `before=<smallest id>` skips messages; `before_timestamp` does not.
pub fn messages_page<'a>(ordered: &[&'a MsgRec], q: &Query) -> Vec<&'a MsgRec> {
    let int = |name| q.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let id_under = |limit: i64| move |m: &&&MsgRec| i64::try_from(m.id).is_ok_and(|id| id < limit);
    let id_over = |limit: i64| move |m: &&&MsgRec| i64::try_from(m.id).is_ok_and(|id| id > limit);
    let latest = |chosen: Vec<&'a MsgRec>| chosen[chosen.len().saturating_sub(MESSAGES)..].to_vec();
    match (int("after"), int("before"), int("before_timestamp")) {
        (Some(after), Some(before), _) => ordered
            .iter()
            .filter(id_over(after - 1))
            .filter(id_under(before))
            .take(MESSAGES_BETWEEN)
            .copied()
            .collect(),
        (None, Some(before), _) => {
            latest(ordered.iter().filter(id_under(before)).copied().collect())
        }
        (Some(after), None, _) => ordered
            .iter()
            .filter(id_over(after))
            .take(MESSAGES_AFTER)
            .copied()
            .collect(),
        (None, None, Some(ts)) => latest(ordered.iter().filter(|m| m.at < ts).copied().collect()),
        (None, None, None) => latest(ordered.to_vec()),
    }
}

pub fn body_text(body: &Value, key: &str) -> Result<String, Reject> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("{key} is missing"),
            )
        })
}
