//! Anyreach in the inbox: a transcript with a tool call and its output, an interruption, a
//! handoff and latencies, the session pane with a field hidden by the token's scope, and the
//! reply box and editor saying why they are off (fixed clock, UTC).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{list_and_open, screen, started};

use serde_json::json;
use switchboard::api::anyreach;
use switchboard::app::action::{Action, Command};
use switchboard::app::state::AppState;
use switchboard::app::update::update;

/// 2026-11-23T11:40:00Z as unix seconds, plus `s`.
fn at(s: f64) -> f64 {
    1_795_434_000.0 + s
}

fn session() -> serde_json::Value {
    json!({
        "id": "conv_1", "organization_id": "org_1", "direction": "inbound", "channel": "telephone",
        "status": "transferred", "user_id": "+15559876543", "agent_id": "agt_ava",
        "agent_number": "+14155550190", "duration": 94, "user_turn_count": 3,
        "created_at": "2026-11-23T11:40:00Z", "updated_at": "2026-11-23T11:41:34Z",
        "agent": {"id": "agt_ava", "name": "Ava (Support)"},
        "summary": "Asked about order ORD-12345; lookup failed once; handed off to billing.",
        "custom_metadata": {"anyreach_campaign": "winter-renewals"},
        "conversation": {"items": [
            {"id": "i1", "type": "message", "role": "assistant", "content": ["Hi, how can I help?"],
             "metrics": {"e2e_latency": 0.82}, "created_at": at(1.0)},
            {"id": "i2", "type": "message", "role": "user", "content": ["Where is my order ORD-12345?"],
             "transcript_confidence": 0.71, "created_at": at(5.2)},
            {"id": "i3", "type": "function_call", "call_id": "c1", "name": "lookup_order",
             "arguments": "{\"order_id\":\"ORD-12345\"}", "created_at": at(5.8)},
            {"id": "i4", "type": "function_call_output", "call_id": "c1", "output": "{\"error\":\"timeout\"}",
             "is_error": true, "created_at": at(7.0)},
            {"id": "i5", "type": "message", "role": "assistant", "content": ["Sorry, our order system is slow today, let me"],
             "interrupted": true, "metrics": {"e2e_latency": 2.4}, "created_at": at(7.5)},
            {"id": "i6", "type": "message", "role": "user", "content": ["Can I talk to billing?"],
             "transcript_confidence": 0.95, "created_at": at(9.0)},
            {"id": "i7", "type": "agent_handoff", "new_agent_id": "agt_ben", "created_at": at(9.8)}
        ]}
    })
}

pub(crate) fn fixture(width: u16, height: u16) -> AppState {
    let (mut state, request) = started("Anyreach sandbox", width, height);
    state.capabilities.calls = false;
    let mut hidden = session();
    hidden["id"] = json!("conv_2");
    hidden["user_id"] = json!("guest_3fa2c1");
    hidden["channel"] = json!("webrtc");
    hidden["created_at"] = json!("2026-11-23T11:20:00Z");
    for key in ["summary", "custom_metadata", "agent", "conversation"] {
        hidden.as_object_mut().unwrap().remove(key);
    }
    let items = vec![
        anyreach::read_session(&session()).unwrap(),
        anyreach::read_session(&hidden).unwrap(),
    ];
    let messages = anyreach::read_detail(&session()).unwrap().0.messages;
    list_and_open(&mut state, request, items, messages);
    state
}

#[test]
fn anyreach_transcript_with_tool_calls_160x48() {
    insta::assert_snapshot!(screen(&fixture(160, 48)));
}

#[test]
fn anyreach_transcript_80x24() {
    insta::assert_snapshot!(screen(&fixture(80, 24)));
}

#[test]
fn hidden_fields_say_so_and_write_actions_say_why_not() {
    let mut state = fixture(160, 48);
    // Reply and metadata edits are refused with the provider's reason, not attempted.
    assert!(update(&mut state, Action::Command(Command::Reply)).is_empty());
    assert!(
        state
            .chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no API for a human reply")
    );
    assert!(update(&mut state, Action::Command(Command::EditMetadata)).is_empty());
    assert!(state.inbox.editor.is_none());
    assert!(update(&mut state, Action::Command(Command::Calls)).is_empty());
    assert!(
        state
            .chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("calls are the conversations")
    );
    // The session a read-only token sees: hidden fields and transcript say so.
    update(&mut state, Action::Command(Command::Back));
    update(&mut state, Action::Command(Command::Down));
    update(&mut state, Action::Command(Command::Open));
    let text: String = screen(&state)
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(text.contains("hidden by token scope"), "{text}");
}
