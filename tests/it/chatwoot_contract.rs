//! Contract tests for the Chatwoot clients against the sandbox on loopback: the application API
//! (tabs and counts, page-number paging whatever the page size, message paging back in time
//! also where ids do not follow time, replies, private notes, status, priority, assignment,
//! labels, custom attributes, the conversation's read marks) and the public client API. The
//! sandbox's own JSON is checked over plain HTTP where the shape is Chatwoot's, not the client's
//! (`providers.md` section 3).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashSet;

use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};
use switchboard::api::chatwoot::{Chatwoot, ChatwootPublic, DeskQuery};
use switchboard::api::desk::DeskAction;
use switchboard::api::{ConversationId, Cursor, Direction, ErrorClass, Metadata, NextPage};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

async fn start() -> (SandboxHandle, Chatwoot) {
    start_with(SandboxConfig::quiet(9)).await
}

async fn start_with(config: SandboxConfig) -> (SandboxHandle, Chatwoot) {
    let handle = sandbox::spawn(config).await.unwrap();
    let client = with_token(&handle, sandbox::CHATWOOT_TOKEN);
    (handle, client)
}

/// A plain request to account 1's application API (`path` after `/api/v1/accounts/1`), with
/// the token: the status and the JSON body (`null` when there is none).
async fn call(
    handle: &SandboxHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let base = handle.url().as_str().trim_end_matches('/');
    let mut request = reqwest::Client::new()
        .request(method, format!("{base}/api/v1/accounts/1{path}"))
        .header("api_access_token", sandbox::CHATWOOT_TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn with_token(handle: &SandboxHandle, token: &str) -> Chatwoot {
    let mut config = handle.http_config();
    config.api_key = Some(SecretString::from(token.to_owned()));
    Chatwoot::new(config, 1).unwrap()
}

fn all_statuses(assignee: &str) -> DeskQuery {
    DeskQuery {
        assignee: assignee.into(),
        status: "all".into(),
        ..DeskQuery::default()
    }
}

#[tokio::test]
async fn tabs_page_by_number_to_a_short_page_and_match_their_counts() {
    let (_handle, client) = start().await;
    for tab in ["all", "me", "unassigned"] {
        let query = all_statuses(tab);
        let mut ids = HashSet::new();
        let mut page = 1;
        let counts = loop {
            let (list, counts) = client.list_conversations(page, &query).await.unwrap();
            ids.extend(list.items.iter().map(|c| c.id.clone()));
            match list.next {
                NextPage::More(Cursor::PageNumber(next)) => page = next,
                _ => break counts,
            }
        };
        let expected = match tab {
            "me" => counts.mine,
            "unassigned" => counts.unassigned,
            _ => counts.all,
        };
        assert_eq!(ids.len() as u64, expected, "{tab}");
        assert_eq!(client.counts(&query).await.unwrap(), counts);
    }
    let (open, _) = client
        .list_conversations(1, &DeskQuery::default())
        .await
        .unwrap();
    assert!(!open.items.is_empty(), "open conversations to check");
    assert!(
        open.items
            .iter()
            .all(|c| c.desk.as_ref().unwrap().status == "open")
    );
}

#[tokio::test]
async fn a_long_thread_pages_back_to_its_first_message_every_message_once() {
    let (_handle, client) = start().await;
    let id = ConversationId("3".into());
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut requests = 0;
    loop {
        let page = client.messages_page(&id, cursor.as_ref()).await.unwrap();
        requests += 1;
        let mut ids: Vec<String> = page.items.iter().map(|m| m.id.to_string()).collect();
        ids.append(&mut seen);
        seen = ids;
        match page.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => break,
        }
    }
    assert_eq!(seen.len(), 230);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        230,
        "every message once"
    );
    // The latest 20, then 19 new a page: each older page re-reads its boundary second.
    assert_eq!(requests, 1 + (230_usize - 20).div_ceil(19));
    let numbers: Vec<u64> = seen.iter().map(|s| s.parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "oldest first");
}

#[tokio::test]
async fn replies_notes_and_actions_reach_the_conversation() {
    let (handle, client) = start().await;
    let id = ConversationId("2".into());
    let latest = client.messages_page(&id, None).await.unwrap();
    let newest: u64 = latest.items.last().unwrap().id.as_str().parse().unwrap();
    let reply = client
        .send_message(&id, "On its way!", false)
        .await
        .unwrap();
    let note = client
        .send_message(&id, "Refund approved by finance", true)
        .await
        .unwrap();
    assert!(!reply.private && note.private);
    assert_eq!(reply.direction, Direction::Outbound);
    handle.chatwoot_incoming(2, "Thanks!").unwrap();
    let caught = client.messages_after(&id, newest).await.unwrap();
    let bodies: Vec<&str> = caught.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["On its way!", "Refund approved by finance", "Thanks!"]
    );
    let until = chrono::Utc::now() + chrono::TimeDelta::hours(4);
    client
        .set_status(&id, "snoozed", Some(until))
        .await
        .unwrap();
    client.set_priority(&id, Some("urgent")).await.unwrap();
    client.assign(&id, 1).await.unwrap();
    let labels = client
        .set_labels(&id, &["vip".into(), "billing".into()])
        .await
        .unwrap();
    assert_eq!(labels, ["vip", "billing"]);
    let attributes = Metadata(
        serde_json::json!({"plan": "enterprise"})
            .as_object()
            .cloned(),
    );
    assert_eq!(
        client
            .set_custom_attributes(&id, &attributes)
            .await
            .unwrap(),
        attributes
    );
    let conv = client.get_conversation(&id).await.unwrap();
    let desk = conv.desk.unwrap();
    assert_eq!(
        (desk.status.as_str(), desk.priority.as_deref()),
        ("snoozed", Some("urgent"))
    );
    assert_eq!(desk.assignee.unwrap().id, 1);
    assert_eq!(desk.labels, ["vip", "billing"]);
    assert_eq!(desk.snoozed_until.unwrap().timestamp(), until.timestamp());
    assert_eq!(conv.metadata, attributes);
    // The status change and assignment left activity lines in the thread.
    let after = client.messages_after(&id, newest).await.unwrap();
    assert!(
        after
            .messages
            .iter()
            .any(|m| m.direction == Direction::System)
    );
    let me = client.profile().await.unwrap();
    assert_eq!(me.id, 1);
}

#[tokio::test]
async fn a_bad_token_and_a_bad_status_are_refused_in_chatwoots_words() {
    let (handle, client) = start().await;
    let err = with_token(&handle, "nope")
        .list_conversations(1, &DeskQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Auth);
    assert!(err.to_string().contains("Invalid Access Token"), "{err}");
    let err = client
        .set_status(&ConversationId("2".into()), "closed", None)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Validation);
    let err = client
        .get_conversation(&ConversationId("999".into()))
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::NotFound);
}

#[tokio::test]
async fn the_public_api_shows_a_contact_its_conversation_without_private_notes_and_lets_it_write() {
    let (handle, client) = start().await;
    let (inbox, contact) = handle.chatwoot_contact(5).unwrap();
    let public = ChatwootPublic::new(handle.http_config(), &inbox, &contact).unwrap();
    let list = public.conversations().await.unwrap();
    assert_eq!(list.len(), 1);
    let id = list[0].conversation.id.clone();
    let sent = public.send(&id, "Any update?").await.unwrap();
    assert_eq!(sent.direction, Direction::Inbound);
    let detail = public.conversation(&id).await.unwrap();
    assert!(
        detail
            .messages
            .iter()
            .all(|m| !m.private && m.direction != Direction::System)
    );
    assert_eq!(detail.messages.last().unwrap().body, "Any update?");
    // The agent sees the contact's message too, among notes the contact never sees.
    let agent_view = client.messages_page(&id, None).await.unwrap();
    assert_eq!(agent_view.items.last().unwrap().body, "Any update?");
    let wrong = ChatwootPublic::new(handle.http_config(), &inbox, "src-nope").unwrap();
    assert_eq!(
        wrong.conversations().await.unwrap_err().class(),
        ErrorClass::NotFound
    );
}

/// Pages one tab to its end with the client; returns the ids, the tab's count and the number
/// of requests.
async fn walk_tab(
    client: &Chatwoot,
    query: &DeskQuery,
    page_size: usize,
) -> (Vec<String>, u64, usize) {
    let mut ids = Vec::new();
    let mut page = 1;
    for requests in 1..=100 {
        let (list, counts) = client.list_conversations(page, query).await.unwrap();
        assert!(list.items.len() <= page_size);
        ids.extend(list.items.iter().map(|c| c.id.to_string()));
        if let NextPage::More(Cursor::PageNumber(next)) = list.next {
            page = next;
            continue;
        }
        let count = match query.assignee.as_str() {
            "me" => counts.mine,
            "unassigned" => counts.unassigned,
            "assigned" => counts.assigned,
            _ => counts.all,
        };
        return (ids, count, requests);
    }
    panic!("the {} tab never ended", query.assignee);
}

#[tokio::test]
async fn tabs_page_to_their_meta_count_when_the_instance_sets_another_page_size() {
    let config = SandboxConfig {
        chatwoot_page_size: 15,
        ..SandboxConfig::quiet(9)
    };
    let (_handle, client) = start_with(config).await;
    for status in ["all", "open", "resolved"] {
        for tab in ["all", "me", "unassigned", "assigned"] {
            let query = DeskQuery {
                status: status.into(),
                ..all_statuses(tab)
            };
            let (ids, count, requests) = walk_tab(&client, &query, 15).await;
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{status}/{tab}: every row once");
            assert_eq!(ids.len() as u64, count, "{status}/{tab}: all of the tab");
            let pages = usize::try_from(count).unwrap().div_ceil(15).max(1);
            assert_eq!(requests, pages, "{status}/{tab}: no page asked twice");
        }
    }
}

#[tokio::test]
async fn a_thread_with_imported_history_pages_back_to_every_message_once() {
    let config = SandboxConfig::quiet(9);
    let imported = config.desk + 1;
    let (handle, client) = start_with(config).await;
    // The whole thread by id range (`after` + `before`: up to 1000, in time order).
    let (status, all) = call(
        &handle,
        Method::GET,
        &format!("/conversations/{imported}/messages?after=0&before=999999999"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let truth: Vec<u64> = all["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_u64().unwrap())
        .collect();
    assert_eq!(truth.len(), 80);
    assert!(
        truth.windows(2).any(|w| w[0] > w[1]),
        "ids do not follow time here"
    );
    let id = ConversationId(imported.to_string());
    let (mut seen, mut cursor) = (Vec::new(), None);
    for _ in 0..20 {
        let page = client.messages_page(&id, cursor.as_ref()).await.unwrap();
        seen.extend(
            page.items
                .iter()
                .map(|m| m.id.as_str().parse::<u64>().unwrap()),
        );
        match page.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => break,
        }
    }
    let unique: HashSet<u64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "every message once");
    assert_eq!(
        unique,
        truth.into_iter().collect::<HashSet<u64>>(),
        "every message"
    );
}

#[tokio::test]
async fn priority_clears_with_null_and_values_outside_the_enum_are_refused_unstored() {
    let (handle, client) = start().await;
    let id = ConversationId("2".into());
    let priority = |c: switchboard::api::Conversation| c.desk.unwrap().priority;
    client.set_priority(&id, Some("high")).await.unwrap();
    for wrong in [json!("none"), json!("bogus"), json!(2)] {
        let (status, _) = call(
            &handle,
            Method::POST,
            "/conversations/2/toggle_priority",
            Some(json!({"priority": wrong})),
        )
        .await;
        assert_eq!(status, 500, "{wrong} is an ArgumentError on a real server");
        let conv = client.get_conversation(&id).await.unwrap();
        assert_eq!(
            priority(conv).as_deref(),
            Some("high"),
            "{wrong} is not stored"
        );
    }
    let (status, _) = call(
        &handle,
        Method::POST,
        "/conversations/2/toggle_priority",
        Some(json!({"priority": null})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(priority(client.get_conversation(&id).await.unwrap()), None);
    // The client clears with null: "none" from the actions menu is not sent as a value.
    client.set_priority(&id, Some("low")).await.unwrap();
    let cleared = client
        .act(&id, &DeskAction::Priority("none".into()))
        .await
        .unwrap();
    assert_eq!(priority(cleared), None);
    client.set_priority(&id, None).await.unwrap();
}

#[tokio::test]
async fn a_null_assignee_unassigns_and_a_team_can_be_assigned() {
    let (handle, client) = start().await;
    let id = ConversationId("1".into());
    assert!(
        client
            .get_conversation(&id)
            .await
            .unwrap()
            .desk
            .unwrap()
            .assignee
            .is_some()
    );
    let (status, body) = call(
        &handle,
        Method::POST,
        "/conversations/1/assignments",
        Some(json!({"assignee_id": null})),
    )
    .await;
    assert_eq!((status, body), (200, Value::Null));
    let desk = client.get_conversation(&id).await.unwrap().desk.unwrap();
    assert!(desk.assignee.is_none());
    let (status, team) = call(
        &handle,
        Method::POST,
        "/conversations/1/assignments",
        Some(json!({"team_id": 2})),
    )
    .await;
    assert_eq!(
        (status, team["id"].clone(), team["name"].clone()),
        (200, json!(2), json!("Support"))
    );
    let desk = client.get_conversation(&id).await.unwrap().desk.unwrap();
    assert_eq!(desk.team.as_deref(), Some("Support"));
    let lines = client.messages_page(&id, None).await.unwrap().items;
    assert!(
        lines.iter().any(
            |m| m.direction == Direction::System && m.body == "Conversation unassigned by Dana"
        )
    );
    let (_, unteamed) = call(
        &handle,
        Method::POST,
        "/conversations/1/assignments",
        Some(json!({"team_id": null})),
    )
    .await;
    assert_eq!(unteamed, Value::Null);
    client.assign(&id, 1).await.unwrap();
    assert_eq!(
        client
            .get_conversation(&id)
            .await
            .unwrap()
            .desk
            .unwrap()
            .assignee
            .unwrap()
            .id,
        1
    );
}

#[tokio::test]
async fn a_conversations_labels_can_be_read() {
    let (handle, client) = start().await;
    let id = ConversationId("4".into());
    client
        .set_labels(&id, &["bug".into(), "vip".into()])
        .await
        .unwrap();
    let (status, body) = call(&handle, Method::GET, "/conversations/4/labels", None).await;
    assert_eq!((status, body), (200, json!({"payload": ["bug", "vip"]})));
    let (status, _) = call(&handle, Method::GET, "/conversations/999/labels", None).await;
    assert_eq!(status, 404);
}

/// The read marks and reply times Chatwoot's conversation partial renders on every
/// conversation, as unix-second integers (0 when unset).
const MARKS: [&str; 6] = [
    "agent_last_seen_at",
    "assignee_last_seen_at",
    "contact_last_seen_at",
    "first_reply_created_at",
    "waiting_since",
    "unread_count",
];

#[tokio::test]
async fn conversations_carry_their_read_marks_and_a_contact_reopens_a_resolved_one() {
    let (handle, client) = start().await;
    let (_, list) = call(&handle, Method::GET, "/conversations?status=all", None).await;
    for row in list["data"]["payload"].as_array().unwrap() {
        for mark in MARKS {
            assert!(
                row[mark].is_u64(),
                "{mark} of {} is {}",
                row["id"],
                row[mark]
            );
        }
    }
    let id = ConversationId("2".into());
    client
        .send_message(&id, "Sorted, thanks for waiting", false)
        .await
        .unwrap();
    let (_, conv) = call(&handle, Method::GET, "/conversations/2", None).await;
    assert!(conv["first_reply_created_at"].as_u64().unwrap() > 0);
    assert_eq!(conv["waiting_since"], 0, "a reply ends the wait");
    client.set_status(&id, "resolved", None).await.unwrap();
    let (inbox, contact) = handle.chatwoot_contact(2).unwrap();
    let public = ChatwootPublic::new(handle.http_config(), &inbox, &contact).unwrap();
    let asked = public.send(&id, "One more thing").await.unwrap();
    let (_, conv) = call(&handle, Method::GET, "/conversations/2", None).await;
    assert_eq!(conv["status"], "open", "the contact's message reopens it");
    assert_eq!(
        conv["waiting_since"].as_i64().unwrap(),
        asked.sent_at.timestamp()
    );
    // So does a customer writing in on another channel (the sandbox's inbound traffic).
    client
        .set_status(&ConversationId("3".into()), "resolved", None)
        .await
        .unwrap();
    handle.chatwoot_incoming(3, "Hello again").unwrap();
    let again = client
        .get_conversation(&ConversationId("3".into()))
        .await
        .unwrap();
    assert_eq!(again.desk.unwrap().status, "open");
}

#[tokio::test]
async fn the_sandbox_command_prints_what_a_public_api_client_needs() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["sandbox", "--port", "0", "--provider", "chatwoot"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            banner.push_str(&line);
            banner.push('\n');
            if line.contains("Ctrl-C") {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), read)
        .await
        .unwrap();
    let path = banner
        .split_whitespace()
        .find(|w| w.contains("/public/api/v1/inboxes/"))
        .unwrap_or_else(|| panic!("no public API path in {banner:?}"));
    assert!(
        banner.contains("inbox identifier: ") && banner.contains("contact identifier: "),
        "{banner}"
    );
    let conversations: Value = reqwest::get(path).await.unwrap().json().await.unwrap();
    assert!(
        !conversations.as_array().unwrap().is_empty(),
        "{path} answers"
    );
    child.kill().await.unwrap();
}
