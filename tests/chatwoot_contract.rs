//! Contract tests for the Chatwoot clients against the sandbox on loopback: the application API
//! (tabs and counts, page-number paging, message paging by id both ways, replies, private notes,
//! status, priority, assignment, labels, custom attributes) and the public client API.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashSet;

use secrecy::SecretString;
use switchboard::api::chatwoot::{Chatwoot, ChatwootPublic, DeskQuery};
use switchboard::api::{ConversationId, Cursor, Direction, ErrorClass, Metadata, NextPage};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

async fn start() -> (SandboxHandle, Chatwoot) {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let client = with_token(&handle, sandbox::CHATWOOT_TOKEN);
    (handle, client)
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
    assert_eq!(requests, 230_usize.div_ceil(20));
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
    client.set_priority(&id, "urgent").await.unwrap();
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
