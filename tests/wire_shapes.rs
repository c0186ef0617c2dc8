//! The sandbox against the providers' published shapes (STYLE.md lesson L4): field names, JSON
//! types and enum values of what each endpoint serves, written from the facts in
//! `shared/providers.md` (AgentPhone 1.3–1.6 and 6, Anyreach 2.2–2.3), not copied from the
//! sandbox. When the sandbox drifts from a real shape, one of these fails and names the field.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};
use switchboard::api::{Http, HttpConfig};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

/// A JSON type a published description gives a field.
#[derive(Clone, Copy, Debug)]
enum Ty {
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
type Field = (&'static str, Ty, Need);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// Always there, never null.
    Required,
    /// Always there; may be null.
    Nullable,
    /// May be absent or null.
    Optional,
}

use Need::{Nullable, Optional, Required};
use Ty::{Arr, Bool, Int, Num, Obj, OneOf, Str, Time};

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
fn pin(what: &str, record: &Value, fields: &[Field]) {
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

const DIRECTION: Ty = OneOf(&["inbound", "outbound"]);
const CHANNEL: Ty = OneOf(&["sms", "mms", "imessage", "voice", "whatsapp", "rcs"]);

const CONVERSATION: &[Field] = &[
    ("id", Str, Required),
    ("agentId", Str, Nullable),
    ("phoneNumberId", Str, Required),
    ("phoneNumber", Str, Required),
    ("participant", Str, Required),
    ("isGroup", Bool, Required),
    ("groupId", Str, Nullable),
    ("groupName", Str, Nullable),
    ("participants", Arr, Nullable),
    ("lastMessageAt", Time, Required),
    ("messageCount", Int, Required),
    ("metadata", Obj, Nullable),
    ("createdAt", Time, Required),
    ("channel", CHANNEL, Optional),
    ("capabilities", Obj, Optional),
];

const CAPABILITIES: &[Field] = &[
    ("availableChannels", Arr, Optional),
    ("mediaChannels", Arr, Optional),
    ("canSendMessages", Bool, Required),
    ("media", Bool, Optional),
    ("reactions", Bool, Optional),
    ("emojiReactions", Bool, Optional),
    ("sendDisabledReason", Str, Nullable),
    ("sendChannel", Str, Optional),
];

const MESSAGE: &[Field] = &[
    ("id", Str, Required),
    ("body", Str, Required),
    ("fromNumber", Str, Required),
    ("toNumber", Str, Required),
    ("direction", DIRECTION, Required),
    ("senderIdentifier", Str, Optional),
    ("channel", CHANNEL, Optional),
    ("mediaUrl", Str, Optional),
    ("mediaUrls", Arr, Required),
    ("receivedAt", Time, Required),
    ("reactions", Arr, Optional),
    ("replyTo", Obj, Optional),
    ("status", Str, Optional),
    ("failureReason", Str, Optional),
    ("deliveredAt", Time, Optional),
    ("readAt", Time, Optional),
];

const REACTION: &[Field] = &[
    ("id", Str, Required),
    ("reactionType", Str, Required),
    ("fromNumber", Str, Required),
    ("direction", DIRECTION, Required),
    ("createdAt", Time, Required),
];

const CALL_SUMMARY: &[Field] = &[
    ("id", Str, Required),
    ("agentId", Str, Nullable),
    ("phoneNumberId", Str, Optional),
    ("phoneNumber", Str, Nullable),
    ("fromNumber", Str, Required),
    ("toNumber", Str, Required),
    (
        "status",
        OneOf(&["completed", "in-progress", "failed"]),
        Required,
    ),
    ("startedAt", Time, Required),
    ("endedAt", Time, Nullable),
    ("durationSeconds", Int, Nullable),
    ("lastTranscriptSnippet", Str, Nullable),
];

const TRANSCRIPT_ROW: &[Field] = &[
    ("id", Str, Required),
    ("transcript", Str, Required),
    ("response", Str, Nullable),
    ("createdAt", Time, Required),
];

/// A request through our own HTTP layer (status mapping, no decoding into our types).
async fn send(config: HttpConfig, method: Method, path: &str, body: Option<Value>) -> Value {
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

async fn call(handle: &SandboxHandle, method: Method, path: &str, body: Option<Value>) -> Value {
    send(handle.http_config(), method, path, body).await
}

async fn get(handle: &SandboxHandle, path: &str) -> Value {
    call(handle, Method::GET, path, None).await
}

fn list<'a>(what: &str, value: &'a Value) -> &'a [Value] {
    pin(
        what,
        value,
        &[("data", Arr, Required), ("hasMore", Bool, Required)],
    );
    value["data"].as_array().unwrap()
}

#[tokio::test]
async fn agentphone_conversations_and_messages_keep_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let page = get(&handle, "/v1/conversations?limit=100").await;
    pin("conversation list", &page, &[("total", Int, Required)]);
    let items = list("conversation list", &page);
    assert!(!items.is_empty());
    for item in items {
        pin("conversation", item, CONVERSATION);
        pin(
            "conversation",
            item,
            &[("lastMessagePreview", Str, Nullable)],
        );
        if let Some(caps) = item.get("capabilities") {
            pin("capabilities", caps, CAPABILITIES);
        }
        for member in item["participants"].as_array().into_iter().flatten() {
            pin(
                "participant",
                member,
                &[("identifier", Str, Required), ("name", Str, Nullable)],
            );
        }
    }
    let id = items[0]["id"].as_str().unwrap();
    let detail = get(
        &handle,
        &format!("/v1/conversations/{id}?message_limit=100"),
    )
    .await;
    pin("conversation detail", &detail, CONVERSATION);
    pin(
        "conversation detail",
        &detail,
        &[("messages", Arr, Required)],
    );
    let messages = get(
        &handle,
        &format!("/v1/conversations/{id}/messages?limit=200"),
    )
    .await;
    let flat = list("message list", &messages);
    for message in detail["messages"].as_array().unwrap().iter().chain(flat) {
        pin("message", message, MESSAGE);
        for reaction in message["reactions"].as_array().into_iter().flatten() {
            pin("reaction", reaction, REACTION);
        }
        if let Some(reply) = message.get("replyTo").filter(|r| !r.is_null()) {
            pin(
                "replyTo",
                reply,
                &[("messageId", Str, Required), ("message", Str, Nullable)],
            );
        }
    }
}

#[tokio::test]
async fn agentphone_writes_answer_in_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let page = get(&handle, "/v1/conversations?limit=100").await;
    // Typing indicators are an iMessage feature (SMS answers 400).
    let conv = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "imessage" && c["isGroup"] == false)
        .unwrap();
    let id = conv["id"].as_str().unwrap();
    let patched = call(
        &handle,
        Method::PATCH,
        &format!("/v1/conversations/{id}"),
        Some(json!({"metadata": {"status": "open"}})),
    )
    .await;
    pin("PATCH reply", &patched, CONVERSATION);
    assert_eq!(
        patched["metadata"],
        json!({"status": "open"}),
        "metadata is replaced"
    );
    let typing = call(
        &handle,
        Method::POST,
        &format!("/v1/conversations/{id}/typing"),
        None,
    )
    .await;
    pin(
        "typing reply",
        &typing,
        &[
            ("conversationId", Str, Required),
            ("channel", Str, Required),
            ("status", Str, Required),
        ],
    );
    let body = json!({"body": "Shape check", "to_number": conv["participant"], "number_id": conv["phoneNumberId"]});
    let sent = call(&handle, Method::POST, "/v1/messages", Some(body)).await;
    pin(
        "send reply",
        &sent,
        &[
            ("id", Str, Required),
            ("status", Str, Required),
            ("channel", Str, Required),
            ("from_number", Str, Required),
            ("to_number", Str, Required),
            ("conversation_id", Str, Nullable),
            ("media_urls", Arr, Required),
        ],
    );
}

#[tokio::test]
async fn agentphone_calls_keep_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let page = get(&handle, "/v1/calls?limit=100").await;
    pin("call list", &page, &[("total", Int, Required)]);
    let items = list("call list", &page);
    assert!(!items.is_empty());
    for item in items {
        pin("call", item, CALL_SUMMARY);
    }
    let finished = items.iter().find(|c| c["status"] == "completed").unwrap();
    let call = get(
        &handle,
        &format!("/v1/calls/{}", finished["id"].as_str().unwrap()),
    )
    .await;
    pin("call detail", &call, CALL_SUMMARY);
    pin(
        "call detail",
        &call,
        &[
            ("direction", DIRECTION, Required),
            ("agentName", Str, Nullable),
            ("recordingAvailable", Bool, Required),
            ("transcripts", Arr, Required),
        ],
    );
    let rows = call["transcripts"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        pin("transcript row", row, TRANSCRIPT_ROW);
    }
}

const CONTACT: &[Field] = &[
    ("id", Str, Required),
    ("phoneNumber", Str, Required),
    ("name", Str, Required),
    ("email", Str, Nullable),
    ("notes", Str, Nullable),
    ("createdAt", Time, Required),
    ("updatedAt", Time, Required),
];

#[tokio::test]
async fn agentphone_contacts_keep_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let page = get(&handle, "/v1/contacts?limit=100").await;
    pin("contact list", &page, &[("total", Int, Required)]);
    let items = list("contact list", &page);
    assert!(!items.is_empty());
    for item in items {
        pin("contact", item, CONTACT);
    }
    let one = get(
        &handle,
        &format!("/v1/contacts/{}", items[0]["id"].as_str().unwrap()),
    )
    .await;
    pin("contact", &one, CONTACT);
}

const SESSION: &[Field] = &[
    ("id", Str, Required),
    ("organization_id", Str, Required),
    ("direction", DIRECTION, Required),
    (
        "channel",
        OneOf(&["telephone", "webrtc", "email", "text"]),
        Required,
    ),
    (
        "status",
        OneOf(&[
            "token_created",
            "triggered",
            "ringing",
            "in_progress",
            "completed",
            "failed",
            "cancelled",
            "transferred",
            "unanswered",
        ]),
        Required,
    ),
    ("user_id", Str, Required),
    ("agent_id", Str, Nullable),
    ("agent_number", Str, Nullable),
    ("web_widget_id", Str, Nullable),
    ("duration", Int, Nullable),
    ("user_turn_count", Int, Nullable),
    ("created_at", Time, Required),
    ("updated_at", Time, Required),
];

const SENSITIVE: [&str; 4] = [
    "summary",
    "custom_metadata",
    "conversation",
    "recording_details",
];

async fn anyreach_get(handle: &SandboxHandle, key: &str, org: Option<&str>, path: &str) -> Value {
    let mut config = handle.http_config();
    config.api_key = Some(SecretString::from(key.to_owned()));
    if let Some(org) = org {
        config
            .extra_headers
            .push(("X-Anyreach-Org".into(), org.into()));
    }
    send(config, Method::GET, path, None).await
}

/// One LiveKit-style transcript item (`providers.md` 2.3, inferred there with high confidence).
fn pin_item(item: &Value) {
    let kind = item["type"].as_str().unwrap_or("?");
    pin(
        "transcript item",
        item,
        &[
            ("id", Str, Required),
            ("created_at", Num, Required),
            (
                "type",
                OneOf(&[
                    "message",
                    "function_call",
                    "function_call_output",
                    "agent_handoff",
                ]),
                Required,
            ),
        ],
    );
    match kind {
        "message" => pin(
            "message item",
            item,
            &[
                (
                    "role",
                    OneOf(&["user", "assistant", "system", "developer"]),
                    Required,
                ),
                ("content", Arr, Required),
                ("interrupted", Bool, Optional),
                ("transcript_confidence", Num, Optional),
                ("metrics", Obj, Optional),
            ],
        ),
        "function_call" => pin(
            "function call",
            item,
            &[
                ("call_id", Str, Required),
                ("name", Str, Required),
                ("arguments", Str, Required),
            ],
        ),
        "function_call_output" => pin(
            "function output",
            item,
            &[
                ("call_id", Str, Required),
                ("output", Str, Required),
                ("is_error", Bool, Required),
            ],
        ),
        _ => pin("handoff", item, &[("new_agent_id", Str, Required)]),
    }
}

#[tokio::test]
async fn anyreach_sessions_keep_the_published_shape_and_scopes() {
    let handle = sandbox::spawn(SandboxConfig::quiet(3)).await.unwrap();
    let rows = anyreach_get(
        &handle,
        sandbox::ANYREACH_KEY,
        None,
        "/core/conversations?limit=100",
    )
    .await;
    let rows = rows.as_array().expect("a bare array, no envelope");
    assert!(!rows.is_empty());
    for row in rows {
        pin("session", row, SESSION);
    }
    let id = rows.iter().find(|r| r["status"] == "completed").unwrap()["id"]
        .as_str()
        .unwrap();
    let detail = anyreach_get(
        &handle,
        sandbox::ANYREACH_KEY,
        None,
        &format!("/core/conversations/{id}"),
    )
    .await;
    pin("session detail", &detail, SESSION);
    pin(
        "session detail",
        &detail,
        &[
            ("agent", Obj, Optional),
            ("summary", Str, Nullable),
            ("custom_metadata", Obj, Nullable),
            ("conversation", Obj, Required),
        ],
    );
    let items = detail["conversation"]["items"].as_array().unwrap();
    assert!(!items.is_empty());
    items.iter().for_each(pin_item);
    // A read-only token: the sensitive fields are absent, not null.
    let safe = anyreach_get(
        &handle,
        sandbox::ANYREACH_READ_ONLY_TOKEN,
        Some(sandbox::ANYREACH_ORG_ID),
        &format!("/core/conversations/{id}"),
    )
    .await;
    pin("session (read-only)", &safe, SESSION);
    for key in SENSITIVE {
        assert!(
            safe.get(key).is_none(),
            "{key} must be absent for a read-only token"
        );
    }
}

const CW_CONVERSATION: &[Field] = &[
    ("id", Int, Required),
    ("account_id", Int, Required),
    ("uuid", Str, Optional),
    ("meta", Obj, Required),
    ("messages", Arr, Optional),
    ("additional_attributes", Obj, Optional),
    ("custom_attributes", Obj, Required),
    ("labels", Arr, Required),
    ("inbox_id", Int, Required),
    (
        "status",
        OneOf(&["open", "resolved", "pending", "snoozed"]),
        Required,
    ),
    (
        "priority",
        OneOf(&["low", "medium", "high", "urgent"]),
        Nullable,
    ),
    ("can_reply", Bool, Required),
    ("snoozed_until", Time, Nullable),
    ("created_at", Int, Required),
    ("timestamp", Int, Required),
    ("last_activity_at", Int, Required),
    ("agent_last_seen_at", Int, Required),
    ("assignee_last_seen_at", Int, Required),
    ("contact_last_seen_at", Int, Required),
    ("first_reply_created_at", Int, Required),
    ("waiting_since", Int, Required),
    ("unread_count", Int, Required),
    ("last_non_activity_message", Obj, Nullable),
];

const CW_MESSAGE: &[Field] = &[
    ("id", Int, Required),
    ("content", Str, Nullable),
    ("inbox_id", Int, Optional),
    ("conversation_id", Int, Required),
    ("message_type", Int, Required),
    ("content_type", Str, Optional),
    (
        "status",
        OneOf(&["sent", "delivered", "read", "failed", "progress"]),
        Optional,
    ),
    ("content_attributes", Obj, Optional),
    ("created_at", Int, Required),
    ("private", Bool, Optional),
    ("sender", Obj, Optional),
    ("attachments", Arr, Optional),
];

fn cw_config(handle: &SandboxHandle) -> HttpConfig {
    let mut config = handle.http_config();
    config.key_header = Some("api_access_token".into());
    config.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
    config
}

/// A Chatwoot message: the common fields, `message_type` an integer 0–3.
fn pin_cw_message(message: &Value) {
    pin("message", message, CW_MESSAGE);
    let kind = message["message_type"].as_u64();
    assert!(
        kind.is_some_and(|k| k <= 3),
        "message_type {kind:?}: {message}"
    );
    for attachment in message["attachments"].as_array().into_iter().flatten() {
        pin(
            "attachment",
            attachment,
            &[
                ("id", Int, Required),
                ("file_type", Str, Required),
                ("data_url", Str, Required),
            ],
        );
    }
}

#[tokio::test]
async fn chatwoot_application_api_keeps_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let base = "/api/v1/accounts/1/conversations";
    let list = send(
        cw_config(&handle),
        Method::GET,
        &format!("{base}?status=all"),
        None,
    )
    .await;
    let counts = &list["data"]["meta"];
    pin(
        "list meta",
        counts,
        &[
            ("mine_count", Int, Required),
            ("unassigned_count", Int, Required),
            ("assigned_count", Int, Required),
            ("all_count", Int, Required),
        ],
    );
    let rows = list["data"]["payload"]
        .as_array()
        .expect("data.payload is a list");
    assert!(!rows.is_empty());
    for row in rows {
        pin("conversation", row, CW_CONVERSATION);
        pin(
            "conversation meta",
            &row["meta"],
            &[
                ("sender", Obj, Required),
                ("channel", Str, Required),
                ("assignee", Obj, Optional),
                ("team", Obj, Optional),
            ],
        );
    }
    let meta = send(
        cw_config(&handle),
        Method::GET,
        &format!("{base}/meta?status=all"),
        None,
    )
    .await;
    pin(
        "meta",
        &meta["meta"],
        &[("mine_count", Int, Required), ("all_count", Int, Required)],
    );
    let id = rows[0]["id"].as_i64().unwrap();
    let one = send(
        cw_config(&handle),
        Method::GET,
        &format!("{base}/{id}"),
        None,
    )
    .await;
    pin("conversation", &one, CW_CONVERSATION);
    let messages = send(
        cw_config(&handle),
        Method::GET,
        &format!("{base}/{id}/messages"),
        None,
    )
    .await;
    pin(
        "messages reply",
        &messages,
        &[("meta", Obj, Required), ("payload", Arr, Required)],
    );
    messages["payload"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(pin_cw_message);
    let labels = send(
        cw_config(&handle),
        Method::GET,
        &format!("{base}/{id}/labels"),
        None,
    )
    .await;
    pin("labels reply", &labels, &[("payload", Arr, Required)]);
    let body = json!({"content": "Shape check", "message_type": "outgoing", "private": true});
    let sent = send(
        cw_config(&handle),
        Method::POST,
        &format!("{base}/{id}/messages"),
        Some(body),
    )
    .await;
    pin_cw_message(&sent);
}

#[tokio::test]
async fn chatwoot_public_api_keeps_the_published_shape() {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let (inbox, contact) = handle
        .chatwoot_contact(1)
        .expect("a contact with conversations");
    let path = format!("/public/api/v1/inboxes/{inbox}/contacts/{contact}/conversations");
    let list = send(handle.http_config(), Method::GET, &path, None).await;
    let rows = list.as_array().expect("a bare list");
    assert!(!rows.is_empty());
    for row in rows {
        pin(
            "public conversation",
            row,
            &[
                ("id", Int, Required),
                ("inbox_id", Int, Required),
                (
                    "status",
                    OneOf(&["open", "resolved", "pending", "snoozed"]),
                    Required,
                ),
                ("contact_last_seen_at", Int, Optional),
                ("agent_last_seen_at", Int, Optional),
                ("messages", Arr, Required),
                ("contact", Obj, Required),
            ],
        );
        for message in row["messages"].as_array().unwrap() {
            pin_cw_message(message);
            let private = message.get("private").and_then(Value::as_bool);
            assert_ne!(private, Some(true), "the public API never shows a note");
        }
    }
}
