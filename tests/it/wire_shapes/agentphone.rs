//! AgentPhone: conversations, messages, writes, calls, contacts (`providers.md` 1.3–1.6, 6).

use reqwest::Method;
use serde_json::json;
use switchboard::sandbox::{self, SandboxConfig};

use super::*;

pub(crate) const DIRECTION: Ty = OneOf(&["inbound", "outbound"]);
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
