//! Chatwoot: the application API and the public client API (`providers.md` 3.2–3.4).

use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};
use switchboard::api::HttpConfig;
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

use super::*;

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
    one_conversation_keeps_the_published_shape(&handle, rows[0]["id"].as_i64().unwrap()).await;
}

/// One conversation, its messages and labels, and a note sent to it.
async fn one_conversation_keeps_the_published_shape(handle: &SandboxHandle, id: i64) {
    let base = "/api/v1/accounts/1/conversations";
    let one = send(
        cw_config(handle),
        Method::GET,
        &format!("{base}/{id}"),
        None,
    )
    .await;
    pin("conversation", &one, CW_CONVERSATION);
    let messages = send(
        cw_config(handle),
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
        cw_config(handle),
        Method::GET,
        &format!("{base}/{id}/labels"),
        None,
    )
    .await;
    pin("labels reply", &labels, &[("payload", Arr, Required)]);
    let body = json!({"content": "Shape check", "message_type": "outgoing", "private": true});
    let sent = send(
        cw_config(handle),
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
