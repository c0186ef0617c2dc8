//! Contract tests for the Anyreach client against the sandbox on loopback: cursor paging to the
//! end with ties at page edges, the filters, transcripts with tool calls, and token scopes.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashSet;

use secrecy::SecretString;
use switchboard::api::ListFilter;
use switchboard::api::anyreach::{Anyreach, ORG_HEADER};
use switchboard::api::{ApiError, Direction, ErrorClass, NextPage, Scoped, TurnKind};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

async fn start(key: &str, org: Option<&str>) -> (SandboxHandle, Anyreach) {
    let handle = sandbox::spawn(SandboxConfig::quiet(3)).await.unwrap();
    let client = client(&handle, key, org);
    (handle, client)
}

fn client(handle: &SandboxHandle, key: &str, org: Option<&str>) -> Anyreach {
    let mut config = handle.http_config();
    config.api_key = Some(SecretString::from(key.to_owned()));
    if let Some(org) = org {
        config.extra_headers.push((ORG_HEADER.into(), org.into()));
    }
    Anyreach::new(config).unwrap()
}

/// Every session of the list, page by page (`limit` each), and the number of requests.
async fn all(client: &Anyreach, limit: u32, filter: &ListFilter) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut offset = 0;
    for requests in 1..100 {
        let page = client
            .list_conversations(offset, limit, filter)
            .await
            .unwrap();
        ids.extend(page.items.iter().map(|c| c.id.to_string()));
        match page.next {
            NextPage::More(switchboard::api::Cursor::Offset(next)) => offset = next,
            _ => return (ids, requests),
        }
    }
    panic!("paging never ended");
}

#[tokio::test]
async fn cursor_paging_reaches_the_end_and_ties_at_page_edges_repeat_only_as_duplicates() {
    let (_handle, client) = start(sandbox::ANYREACH_KEY, None).await;
    let (big, _) = all(&client, 100, &ListFilter::default()).await;
    let unique: HashSet<&String> = big.iter().collect();
    let (small, requests) = all(&client, 20, &ListFilter::default()).await;
    let small_unique: HashSet<&String> = small.iter().collect();
    assert_eq!(
        small_unique, unique,
        "the same sessions whatever the page size"
    );
    assert!(
        small.len() > small_unique.len(),
        "ties at page edges come again (deduplicated upstream)"
    );
    assert!(requests >= 150 / 20, "{requests} requests");
    assert!(unique.len() > 100, "{} sessions", unique.len());
}

#[tokio::test]
async fn filters_are_applied_by_the_server() {
    let (_handle, client) = start(sandbox::ANYREACH_KEY, None).await;
    let text = ListFilter {
        channel: Some("text".into()),
        status: Some("completed".into()),
        ..ListFilter::default()
    };
    let page = client.list_conversations(0, 100, &text).await.unwrap();
    assert!(!page.items.is_empty());
    for c in &page.items {
        let facts = c.session.as_ref().unwrap();
        assert_eq!(
            (facts.channel.as_deref(), facts.status.as_str()),
            (Some("text"), "completed")
        );
    }
    let all = client
        .list_conversations(0, 100, &ListFilter::default())
        .await
        .unwrap();
    let pivot = all.items[10].created_at.unwrap();
    let older = ListFilter {
        created_before: Some(pivot),
        direction: Some("inbound".into()),
        ..ListFilter::default()
    };
    let page = client.list_conversations(0, 100, &older).await.unwrap();
    assert!(
        !page.items.is_empty(),
        "the filter leaves something to check"
    );
    assert!(page.items.iter().all(|c| c.created_at.unwrap() <= pivot));
    assert!(
        page.items
            .iter()
            .all(|c| c.session.as_ref().unwrap().direction == Some(Direction::Inbound))
    );
    // Sessions nobody joined are not shown.
    assert!(
        all.items
            .iter()
            .all(|c| c.session.as_ref().unwrap().status != "token_created")
    );
}

#[tokio::test]
async fn a_transcript_pairs_tool_calls_with_outputs_and_keeps_handoffs_and_latency() {
    let (_handle, client) = start(sandbox::ANYREACH_KEY, None).await;
    let (ids, _) = all(&client, 100, &ListFilter::default()).await;
    let mut saw_handoff = false;
    let mut checked = 0;
    for id in ids.iter().take(60) {
        let detail = client
            .get_conversation(&switchboard::api::ConversationId(id.clone()))
            .await
            .unwrap();
        let facts = detail.conversation.session.as_ref().unwrap();
        assert!(!detail.conversation.capabilities.can_send);
        assert!(!detail.conversation.capabilities.edit_metadata);
        if detail.messages.is_empty() {
            continue;
        }
        checked += 1;
        assert!(matches!(facts.summary, Scoped::Value(_)));
        let tool = detail
            .messages
            .iter()
            .find_map(|m| m.turn.as_ref()?.kind.clone())
            .unwrap();
        assert!(
            matches!(tool, TurnKind::ToolCall { ref name, output: Some(_), .. } if name == "lookup_order")
        );
        assert!(
            detail
                .messages
                .iter()
                .any(|m| m.turn.as_ref().is_some_and(|t| t.latency_ms.is_some()))
        );
        assert!(
            detail
                .messages
                .windows(2)
                .all(|w| w[0].sent_at <= w[1].sent_at)
        );
        saw_handoff |= detail.messages.iter().any(|m| {
            matches!(
                m.turn.as_ref().and_then(|t| t.kind.as_ref()),
                Some(TurnKind::Handoff { .. })
            )
        });
    }
    assert!(checked > 10);
    assert!(saw_handoff, "a transferred session shows its handoff");
}

#[tokio::test]
async fn a_read_only_token_sees_safe_fields_only_and_needs_its_organisation() {
    let (handle, client) = start(
        sandbox::ANYREACH_READ_ONLY_TOKEN,
        Some(sandbox::ANYREACH_ORG_ID),
    )
    .await;
    let page = client
        .list_conversations(0, 20, &ListFilter::default())
        .await
        .unwrap();
    let first = &page.items[0];
    let facts = first.session.as_ref().unwrap();
    assert_eq!(facts.summary, Scoped::Hidden);
    assert_eq!(facts.custom_metadata, Scoped::Hidden);
    assert!(facts.transcript_hidden);
    let detail = client.get_conversation(&first.id).await.unwrap();
    assert!(detail.messages.is_empty());
    assert!(detail.conversation.session.unwrap().transcript_hidden);
    // Without the organisation header a personal token is refused, with the server's words.
    let orphan = client_without_org(&handle);
    let err: ApiError = orphan
        .list_conversations(0, 20, &ListFilter::default())
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Auth);
    assert!(err.to_string().contains("organization claim"), "{err}");
}

fn client_without_org(handle: &SandboxHandle) -> Anyreach {
    client(handle, sandbox::ANYREACH_READ_ONLY_TOKEN, None)
}
