//! Chatwoot in the inbox: a thread with a private note (marked), activity lines (dim
//! one-liners), sender names, an attachment link and a failed delivery (fixed clock, UTC).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{list_and_open, now, screen, started};

use serde_json::{Value, json};
use switchboard::api::chatwoot;
use switchboard::app::action::Action;
use switchboard::app::state::AppState;
use switchboard::app::update::update;

fn at(minutes_ago: i64) -> i64 {
    now().timestamp() - minutes_ago * 60
}

fn conversation() -> Value {
    json!({
        "meta": {"sender": {"id": 501, "name": "Ada Park", "phone_number": "+14155550100", "type": "contact"},
                 "channel": "Channel::Whatsapp", "assignee": {"id": 1, "name": "Dana"}},
        "id": 42, "inbox_id": 2, "status": "pending", "priority": "urgent", "labels": ["billing", "vip"],
        "custom_attributes": {"plan": "pro"}, "can_reply": true, "unread_count": 1,
        "last_activity_at": at(2), "created_at": at(60),
        "last_non_activity_message": {"id": 9, "content": "Still waiting on that refund", "message_type": 0, "created_at": at(2)}
    })
}

fn messages() -> Value {
    let sender = |name: &str, kind: &str| json!({"id": 1, "name": name, "type": kind});
    json!({"payload": [
        {"id": 1, "content": "Hi, I was charged twice for order ORD-12345", "message_type": 0, "created_at": at(60),
         "sender": sender("Ada Park", "contact"),
         "attachments": [{"id": 1, "file_type": "image", "data_url": "https://files.example.com/receipt.png"}]},
        {"id": 2, "content": "Assigned to Dana by Eli", "message_type": 2, "created_at": at(55)},
        {"id": 3, "content": "Double charge confirmed in Stripe; refund needs finance approval.", "message_type": 1,
         "private": true, "created_at": at(50), "sender": sender("Dana", "user")},
        {"id": 4, "content": "Sorry about that! I've asked for a refund.", "message_type": 1, "status": "failed",
         "content_attributes": {"external_error": "WhatsApp: re-engagement window has expired"},
         "created_at": at(45), "sender": sender("Dana", "user")},
        {"id": 5, "content": "Conversation was marked pending by Dana", "message_type": 2, "created_at": at(44)},
        {"id": 9, "content": "Still waiting on that refund", "message_type": 0, "created_at": at(2),
         "sender": sender("Ada Park", "contact")}
    ]})
}

fn fixture(width: u16, height: u16) -> AppState {
    let (mut state, request) = started("Chatwoot sandbox", width, height);
    state.capabilities.calls = false;
    state.capabilities.filters = switchboard::api::FilterSet::Chatwoot;
    let mut second = conversation();
    second["id"] = json!(43);
    second["status"] = json!("open");
    second["priority"] = json!(null);
    second["meta"]["assignee"] = json!(null);
    second["meta"]["sender"]["name"] = json!("Bo Chen");
    second["last_activity_at"] = json!(at(30));
    let items = vec![
        chatwoot::read_conversation(&conversation()).unwrap(),
        chatwoot::read_conversation(&second).unwrap(),
    ];
    let counts = switchboard::api::TabCounts {
        mine: 1,
        unassigned: 1,
        assigned: 1,
        all: 2,
    };
    update(&mut state, Action::CountsLoaded { request, counts });
    list_and_open(
        &mut state,
        request,
        items,
        chatwoot::read_messages(&messages()).items,
    );
    state
}

#[test]
fn chatwoot_list_with_tabs_and_counts_and_a_thread_with_notes_and_activity_160x48() {
    insta::assert_snapshot!(screen(&fixture(160, 48)));
}
