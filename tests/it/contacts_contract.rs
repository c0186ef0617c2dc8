//! Contract tests for contacts, written from the official SDK's models (`agentphone` 0.20.3:
//! `Contact`, `ContactList`, `ContactsResource`) and the OpenAPI document (`providers.md` 1.5):
//! get, create (201; 409 on a phone already in the book; FastAPI's 422 on a bad body), update,
//! delete (204, no body), all against the sandbox on loopback. Our client only lists contacts, so
//! the rest is plain HTTP.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use reqwest::Method;
use serde_json::{Value, json};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

/// The keys of the SDK's `Contact`; `email` and `notes` may be null, the rest are strings.
const CONTACT_KEYS: [&str; 7] = [
    "id",
    "phoneNumber",
    "name",
    "email",
    "notes",
    "createdAt",
    "updatedAt",
];

async fn start() -> SandboxHandle {
    // reqwest is built without a TLS provider of its own (the app installs ring, as here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    sandbox::spawn(SandboxConfig::quiet(11)).await.unwrap()
}

/// Status and body (JSON, or `Value::Null` for an empty one) of one request with the key.
async fn call(
    handle: &SandboxHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}{path}", handle.url().as_str().trim_end_matches('/'));
    let mut req = reqwest::Client::new()
        .request(method, url)
        .header("Authorization", format!("Bearer {}", handle.api_key()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, value)
}

async fn get(handle: &SandboxHandle, path: &str) -> (u16, Value) {
    call(handle, Method::GET, path, None).await
}

fn assert_contact(c: &Value) {
    for key in CONTACT_KEYS {
        assert!(c.get(key).is_some(), "{key} missing in {c}");
    }
    for key in ["id", "phoneNumber", "name", "createdAt", "updatedAt"] {
        assert!(c[key].is_string(), "{key} is not a string in {c}");
    }
    for key in ["email", "notes"] {
        assert!(c[key].is_string() || c[key].is_null(), "{key} in {c}");
    }
}

#[tokio::test]
async fn a_listed_contact_reads_back_by_id_and_an_unknown_id_is_not_found() {
    let handle = start().await;
    let (status, list) = get(&handle, "/v1/contacts?limit=10").await;
    assert_eq!(status, 200);
    let rows = list["data"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    for row in rows {
        assert_contact(row);
        let (status, one) = get(
            &handle,
            &format!("/v1/contacts/{}", row["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(status, 200, "{one}");
        assert_eq!(&one, row);
    }
    let (status, body) = get(&handle, "/v1/contacts/contact_nope").await;
    assert_eq!(status, 404);
    assert!(body["detail"].is_string(), "{body}");
}

#[tokio::test]
async fn creating_a_contact_answers_201_and_a_phone_already_known_is_a_conflict() {
    let handle = start().await;
    let (_, before) = get(&handle, "/v1/contacts?limit=1").await;
    let body = json!({"phoneNumber": "+1 (555) 010-9999", "name": "Kit Carson",
                      "email": "kit@example.com", "notes": "prefers mornings"});
    let (status, created) = call(&handle, Method::POST, "/v1/contacts", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    assert_contact(&created);
    assert_eq!(
        created["phoneNumber"], "+15550109999",
        "normalised to E.164"
    );
    assert_eq!(created["name"], "Kit Carson");
    assert_eq!(created["email"], "kit@example.com");
    assert_eq!(created["notes"], "prefers mornings");
    let id = created["id"].as_str().unwrap();
    let (status, read) = get(&handle, &format!("/v1/contacts/{id}")).await;
    assert_eq!((status, &read), (200, &created));
    let (_, after) = get(&handle, "/v1/contacts?limit=1").await;
    assert_eq!(
        after["total"].as_u64(),
        before["total"].as_u64().map(|t| t + 1)
    );
    let (_, found) = get(&handle, "/v1/contacts?search=kit%20cars").await;
    assert_eq!(found["data"][0]["id"], created["id"]);
    // Only the required fields: email and notes come back null.
    let (status, bare) = call(
        &handle,
        Method::POST,
        "/v1/contacts",
        Some(json!({"phoneNumber": "+15550108888", "name": "Bare"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        (&bare["email"], &bare["notes"]),
        (&Value::Null, &Value::Null)
    );
    let dup = json!({"phoneNumber": "+15550109999", "name": "dup"});
    let (status, body) = call(&handle, Method::POST, "/v1/contacts", Some(dup)).await;
    assert_eq!(status, 409);
    assert!(body["detail"].is_string(), "{body}");
}

#[tokio::test]
async fn a_create_without_its_required_fields_is_fastapis_422() {
    let handle = start().await;
    let (status, body) = call(
        &handle,
        Method::POST,
        "/v1/contacts",
        Some(json!({"email": "x@y.z"})),
    )
    .await;
    assert_eq!(status, 422);
    let errors = body["detail"].as_array().unwrap();
    let locs: Vec<&Value> = errors.iter().map(|e| &e["loc"]).collect();
    assert_eq!(
        locs,
        [&json!(["body", "phoneNumber"]), &json!(["body", "name"])]
    );
    for e in errors {
        assert_eq!(e["type"], "missing");
        assert_eq!(e["msg"], "Field required");
        assert_eq!(e["input"], json!({"email": "x@y.z"}));
    }
    let (status, body) = call(
        &handle,
        Method::POST,
        "/v1/contacts",
        Some(json!({"phoneNumber": 15_550_107_777_u64, "name": "N"})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "string_type");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "phoneNumber"]));
    let (status, _) = call(&handle, Method::POST, "/v1/contacts", None).await;
    assert_eq!(status, 422, "no body at all");
}

#[tokio::test]
async fn updating_a_contact_changes_what_was_sent_and_keeps_the_rest() {
    let handle = start().await;
    let (_, list) = get(&handle, "/v1/contacts?limit=2").await;
    let (first, second) = (&list["data"][0], &list["data"][1]);
    let path = format!("/v1/contacts/{}", first["id"].as_str().unwrap());
    let changes = json!({"name": "Renamed Person", "notes": "called back"});
    let (status, updated) = call(&handle, Method::PATCH, &path, Some(changes)).await;
    assert_eq!(status, 200, "{updated}");
    assert_contact(&updated);
    assert_eq!(updated["name"], "Renamed Person");
    assert_eq!(updated["notes"], "called back");
    assert_eq!(updated["phoneNumber"], first["phoneNumber"]);
    assert_eq!(updated["createdAt"], first["createdAt"]);
    assert_eq!(get(&handle, &path).await.1, updated);
    // A key left out stays; an explicit null clears a nullable field.
    let (_, cleared) = call(&handle, Method::PATCH, &path, Some(json!({"notes": null}))).await;
    assert_eq!(
        (&cleared["name"], &cleared["notes"]),
        (&json!("Renamed Person"), &Value::Null)
    );
    // A phone another contact has is a conflict, and nothing changes.
    let taken = json!({"phoneNumber": second["phoneNumber"]});
    let (status, body) = call(&handle, Method::PATCH, &path, Some(taken)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        get(&handle, &path).await.1["phoneNumber"],
        first["phoneNumber"]
    );
    let (status, _) = call(
        &handle,
        Method::PATCH,
        "/v1/contacts/contact_nope",
        Some(json!({"name": "x"})),
    )
    .await;
    assert_eq!(status, 404);
}

/// The API answers a delete with 204 and no body; the SDK turns a 204 into `{}` (and would fail
/// on an empty 200).
#[tokio::test]
async fn deleting_a_contact_answers_204_without_a_body_and_it_is_gone() {
    let handle = start().await;
    let (_, list) = get(&handle, "/v1/contacts?limit=1").await;
    let total = list["total"].as_u64().unwrap();
    let path = format!("/v1/contacts/{}", list["data"][0]["id"].as_str().unwrap());
    let (status, body) = call(&handle, Method::DELETE, &path, None).await;
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(get(&handle, &path).await.0, 404);
    assert_eq!(call(&handle, Method::DELETE, &path, None).await.0, 404);
    let (_, list) = get(&handle, "/v1/contacts?limit=1").await;
    assert_eq!(list["total"].as_u64(), Some(total - 1));
}

/// `ContactCapabilitiesResponse` in the OpenAPI: `{phoneNumber, capabilities: {imessage, sms},
/// checkedAt}`; `phone_number` is a required query parameter.
#[tokio::test]
async fn capabilities_say_which_channels_reach_a_number() {
    let handle = start().await;
    let phone = handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .find(|c| c.channel == "imessage" && c.group.is_none())
            .unwrap();
        conv.participant.clone()
    });
    let encoded = phone.replace('+', "%2B");
    let path = format!("/v1/contacts/capabilities?phone_number={encoded}");
    let (status, body) = get(&handle, &path).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phoneNumber"], json!(phone));
    assert_eq!(body["capabilities"], json!({"imessage": true, "sms": true}));
    assert!(body["checkedAt"].is_string());
    let (status, body) = get(&handle, "/v1/contacts/capabilities").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "phone_number"]));
}
