//! Anyreach: sessions, transcript items and read-only scopes (`providers.md` 2.2–2.3).

use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

use super::agentphone::DIRECTION;
use super::*;

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
