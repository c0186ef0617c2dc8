//! The sandbox against the providers' published shapes (STYLE.md lesson L4): field names, JSON
//! types and enum values of what each endpoint serves, written from the facts in
//! `shared/providers.md` (AgentPhone 1.3–1.6 and 6, Anyreach 2.2–2.3, Chatwoot 3.2–3.4), not
//! copied from the sandbox. When the sandbox drifts from a real shape, one of these fails and
//! names the field.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

mod agentphone;
mod anyreach;
mod chatwoot;

use reqwest::Method;
use serde_json::Value;
use switchboard::api::{Http, HttpConfig};
use switchboard::sandbox::SandboxHandle;

/// A JSON type a published description gives a field.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// RFC 3339 date-time string.
    Time,
    Obj,
    Arr,
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

/// A field: its name, its type, and whether it may be null or absent.
pub(crate) type Field = (&'static str, Ty, Need);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Always there, never null.
    Required,
    /// Always there; may be null.
    Nullable,
    /// May be absent or null.
    Optional,
}

pub(crate) use Need::{Nullable, Optional, Required};
pub(crate) use Ty::{Arr, Bool, Int, Num, Obj, OneOf, Str, Time};

fn type_ok(value: &Value, ty: Ty) -> bool {
    match ty {
        Str => value.is_string(),
        Int => value.is_i64() || value.is_u64(),
        Num => value.is_number(),
        Bool => value.is_boolean(),
        Time => value
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        Obj => value.is_object(),
        Arr => value.is_array(),
        OneOf(values) => value.as_str().is_some_and(|s| values.contains(&s)),
    }
}

/// Checks `record` against `fields`; panics naming every field that does not fit.
pub(crate) fn pin(what: &str, record: &Value, fields: &[Field]) {
    let mut wrong = Vec::new();
    for (name, ty, need) in fields {
        match (record.get(name), need) {
            (None, Optional) | (Some(Value::Null), Nullable | Optional) => {}
            (None, _) => wrong.push(format!("{name}: missing")),
            (Some(Value::Null), Required) => wrong.push(format!("{name}: null")),
            (Some(value), _) if !type_ok(value, *ty) => {
                wrong.push(format!("{name}: {value} is not {ty:?}"));
            }
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "{what} drifts from the published shape: {wrong:?}\n{record}"
    );
}

/// A request through our own HTTP layer (status mapping, no decoding into our types).
pub(crate) async fn send(
    config: HttpConfig,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let http = Http::new(config).unwrap();
    let url = http.url(path.split('?').next().unwrap(), &query(path));
    http.request::<Value, Value>(method, url, body.as_ref(), false)
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn query(path: &str) -> Vec<(&str, String)> {
    let Some((_, query)) = path.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k, v.to_owned()))
        .collect()
}

pub(crate) async fn call(
    handle: &SandboxHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    send(handle.http_config(), method, path, body).await
}

pub(crate) async fn get(handle: &SandboxHandle, path: &str) -> Value {
    call(handle, Method::GET, path, None).await
}

pub(crate) fn list<'a>(what: &str, value: &'a Value) -> &'a [Value] {
    pin(
        what,
        value,
        &[("data", Arr, Required), ("hasMore", Bool, Required)],
    );
    value["data"].as_array().unwrap()
}
