//! The address book: `GET/POST /v1/contacts`, `GET/PATCH/DELETE /v1/contacts/{id}` and
//! `GET /v1/contacts/capabilities`, in the shapes of the official SDK (`Contact`, `ContactList`)
//! and the OpenAPI document (`providers.md` 1.5).
//!
//! Contacts are keyed by their E.164 phone number: a create or an update normalises it and answers
//! 409 when another contact has it. Bodies are validated the FastAPI way (every missing or
//! mistyped field in one 422); a create answers 201, a delete 204 with no body.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use super::render as wire;
use super::world::{ContactRec, World};
use crate::sandbox::Shared;
use crate::sandbox::reject::Reject;
use crate::sandbox::request::{Query, body_object};

type Reply = Result<Json<Value>, Reject>;

/// The contact routes (the caller puts them behind the key check).
pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/contacts", get(list).post(create))
        .route("/v1/contacts/capabilities", get(capabilities))
        .route("/v1/contacts/{id}", get(read).patch(update).delete(remove))
}

async fn list(State(s): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Reply {
    let q = Query::parse(raw.as_deref());
    let limit = q.int("limit", 50, 1, Some(100))?;
    let offset = q.int("offset", 0, 0, None)?;
    let search = q.get("search").map(str::to_lowercase);
    let world = s.lock_world();
    let matching: Vec<_> = world
        .contacts
        .iter()
        .filter(|c| {
            search
                .as_deref()
                .is_none_or(|n| c.name.to_lowercase().contains(n) || c.phone.contains(n))
        })
        .collect();
    let data: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|c| wire::contact(c))
        .collect();
    let has_more = offset + data.len() < matching.len();
    Ok(Json(
        json!({"data": data, "hasMore": has_more, "total": matching.len()}),
    ))
}

async fn read(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Reply {
    let world = s.lock_world();
    let contact = find(&world, &id)?;
    Ok(Json(wire::contact(&world.contacts[contact])))
}

async fn create(State(s): State<Arc<Shared>>, body: Bytes) -> Result<Response, Reject> {
    let body = request_body(&body)?;
    let fields = Fields::parse(&body, true)?;
    let (Some(phone), Some(name)) = (fields.phone, fields.name) else {
        return Err(Reject::detail(StatusCode::BAD_REQUEST, "Invalid request"));
    };
    let phone = normalise(&phone)?;
    let now = s.now();
    let mut world = s.lock_world();
    ensure_free(&world, &phone, None)?;
    let id = world.new_id("contact");
    let contact = ContactRec {
        id,
        phone,
        name,
        email: fields.email.text(),
        notes: fields.notes.text(),
        created_at: now,
        updated_at: now,
    };
    let value = wire::contact(&contact);
    world.contacts.push(contact);
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

async fn update(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Reply {
    let body = request_body(&body)?;
    let fields = Fields::parse(&body, false)?;
    let phone = fields.phone.as_deref().map(normalise).transpose()?;
    let now = s.now();
    let mut world = s.lock_world();
    let index = find(&world, &id)?;
    if let Some(phone) = &phone {
        ensure_free(&world, phone, Some(index))?;
    }
    let contact = &mut world.contacts[index];
    if let Some(phone) = phone {
        contact.phone = phone;
    }
    if let Some(name) = fields.name {
        contact.name = name;
    }
    fields.email.apply(&mut contact.email);
    fields.notes.apply(&mut contact.notes);
    contact.updated_at = now;
    Ok(Json(wire::contact(contact)))
}

async fn remove(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Response, Reject> {
    let mut world = s.lock_world();
    let index = find(&world, &id)?;
    world.contacts.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Which channels a number can be reached on. The real check asks the carrier and Apple; here a
/// number is on iMessage when one of our iMessage threads is with it.
async fn capabilities(State(s): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Reply {
    let q = Query::parse(raw.as_deref());
    let Some(raw) = q.get("phone_number") else {
        let error = json!({"type": "missing", "loc": ["query", "phone_number"],
                           "msg": "Field required", "input": null});
        return Err(unprocessable(&[error]));
    };
    let phone = normalise(raw)?;
    let now = s.now();
    let world = s.lock_world();
    let imessage = world
        .conversations
        .iter()
        .any(|c| c.participant == phone && c.channel == "imessage");
    Ok(Json(json!({
        "phoneNumber": phone,
        "capabilities": {"imessage": imessage, "sms": true},
        "checkedAt": wire::time(now),
    })))
}

fn find(world: &World, id: &str) -> Result<usize, Reject> {
    world
        .contacts
        .iter()
        .position(|c| c.id == id)
        .ok_or_else(|| Reject::not_found("Contact"))
}

/// 409 when a contact other than `except` already has `phone`.
fn ensure_free(world: &World, phone: &str, except: Option<usize>) -> Result<(), Reject> {
    let taken = world
        .contacts
        .iter()
        .enumerate()
        .any(|(i, c)| c.phone == phone && Some(i) != except);
    if taken {
        return Err(Reject::detail(
            StatusCode::CONFLICT,
            &format!("A contact with phone number {phone} already exists"),
        ));
    }
    Ok(())
}

/// The JSON object of a request; no body at all is FastAPI's "body: Field required".
fn request_body(body: &Bytes) -> Result<Map<String, Value>, Reject> {
    if body.iter().all(u8::is_ascii_whitespace) {
        let error = json!({"type": "missing", "loc": ["body"], "msg": "Field required",
                           "input": null});
        return Err(unprocessable(&[error]));
    }
    body_object(body)
}

fn unprocessable(errors: &[Value]) -> Reject {
    Reject(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({ "detail": errors }),
    )
}

/// What a body says about one field: nothing, `null`, or a string.
enum Field {
    Absent,
    Null,
    Text(String),
}

impl Field {
    fn text(self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s),
            Self::Absent | Self::Null => None,
        }
    }

    /// An update of a nullable field: `null` clears it, an absent key keeps it.
    fn apply(self, slot: &mut Option<String>) {
        match self {
            Self::Absent => {}
            Self::Null => *slot = None,
            Self::Text(s) => *slot = Some(s),
        }
    }
}

/// The fields of a create or update body.
struct Fields {
    phone: Option<String>,
    name: Option<String>,
    email: Field,
    notes: Field,
}

impl Fields {
    /// Every error at once, in field order, as pydantic reports them; `create` makes
    /// `phoneNumber` and `name` required (and not nullable).
    fn parse(body: &Map<String, Value>, create: bool) -> Result<Self, Reject> {
        let mut errors = Vec::new();
        let mut field = |name: &str, required: bool| match body.get(name) {
            None if required => {
                errors.push(json!({"type": "missing", "loc": ["body", name],
                                   "msg": "Field required", "input": body}));
                Field::Absent
            }
            None => Field::Absent,
            Some(Value::Null) if !required => Field::Null,
            Some(Value::String(s)) => Field::Text(s.clone()),
            Some(other) => {
                errors.push(json!({"type": "string_type", "loc": ["body", name],
                                   "msg": "Input should be a valid string", "input": other}));
                Field::Absent
            }
        };
        let fields = Self {
            phone: field("phoneNumber", create).text(),
            name: field("name", create).text(),
            email: field("email", false),
            notes: field("notes", false),
        };
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(unprocessable(&errors))
        }
    }
}

/// A phone number in E.164: `+` and 8 to 15 digits, or a 10-digit (or 1 and 10 digits) North
/// American number; spaces, dots, dashes and parentheses are dropped.
fn normalise(raw: &str) -> Result<String, Reject> {
    let kept: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let (plus, digits) = match kept.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, kept.as_str()),
    };
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let e164 = match (valid, plus, digits.len()) {
        (true, true, 8..=15) => Some(format!("+{digits}")),
        (true, false, 10) => Some(format!("+1{digits}")),
        (true, false, 11) if digits.starts_with('1') => Some(format!("+{digits}")),
        _ => None,
    };
    e164.ok_or_else(|| {
        Reject::detail(
            StatusCode::BAD_REQUEST,
            &format!("Invalid phone number: \"{raw}\""),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_normalise_to_e164() {
        let ok = |raw: &str| normalise(raw).unwrap();
        assert_eq!(ok("+1 (555) 010-9999"), "+15550109999");
        assert_eq!(ok("555.010.9999"), "+15550109999");
        assert_eq!(ok("15550109999"), "+15550109999");
        assert_eq!(ok("+447700900123"), "+447700900123");
        for bad in ["", "+", "555-0109", "+1555abc9999", "25550109999"] {
            let err = normalise(bad).unwrap_err();
            assert_eq!(err.0, StatusCode::BAD_REQUEST, "{bad}");
        }
    }
}
