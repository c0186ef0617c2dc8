//! Contract tests: the real AgentPhone client against the sandbox over loopback. No mocks.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard::api::{
    AgentPhone, ApiError, ConversationId, Cursor, ErrorClass, Http, HttpConfig, Message, Metadata,
    NextPage, OutgoingMessage, RetryPolicy,
};
use switchboard::sandbox::{self, Fault, FaultRule, RetryAfter, SandboxConfig, SandboxHandle};

async fn start() -> (SandboxHandle, AgentPhone) {
    start_with(|_| {}).await
}

async fn start_with(tweak: impl FnOnce(&mut HttpConfig)) -> (SandboxHandle, AgentPhone) {
    let handle = sandbox::spawn(SandboxConfig::quiet(11)).await.unwrap();
    let mut config = handle.http_config();
    tweak(&mut config);
    let client = AgentPhone::new(config).unwrap();
    (handle, client)
}

fn fast_retries(config: &mut HttpConfig) {
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
}

/// The id and message ids (thread order) of the longest thread.
fn longest_thread(handle: &SandboxHandle) -> (ConversationId, Vec<String>) {
    handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .max_by_key(|c| c.messages.len())
            .unwrap();
        let mut msgs: Vec<_> = conv.messages.iter().map(|m| (m.at, m.id.clone())).collect();
        msgs.sort();
        (
            ConversationId(conv.id.clone()),
            msgs.into_iter().map(|(_, id)| id).collect(),
        )
    })
}

fn count_requests(handle: &SandboxHandle, method: &str, fragment: &str) -> usize {
    handle
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.contains(fragment))
        .count()
}

#[tokio::test]
async fn paging_all_conversations_yields_total_each_once_newest_first() {
    let (_handle, client) = start().await;
    let mut seen = Vec::new();
    let mut offset = 0;
    let mut total = None;
    for _ in 0..100 {
        let page = client.list_conversations(offset, 37).await.unwrap();
        total = page.total;
        seen.extend(page.items);
        match page.next {
            NextPage::More(Cursor::Offset(next)) => offset = next,
            NextPage::End => break,
            other @ NextPage::More(_) => panic!("unexpected cursor {other:?}"),
        }
    }
    let total = usize::try_from(total.unwrap()).unwrap();
    assert!(total >= 200);
    assert_eq!(seen.len(), total);
    let ids: HashSet<_> = seen.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), total);
    assert!(
        seen.windows(2)
            .all(|w| w[0].last_activity_at >= w[1].last_activity_at)
    );
}

/// Pages a thread to its first message the way the inbox does: latest page, then `before`.
async fn page_to_start(client: &AgentPhone, id: &ConversationId) -> (Vec<Message>, usize, bool) {
    let mut merged: Vec<Message> = Vec::new();
    let mut ids = HashSet::new();
    let mut cursor = None;
    let mut requests = 0;
    let mut straddled = false;
    loop {
        let page = client
            .messages_page(id, cursor.as_ref(), 200)
            .await
            .unwrap();
        requests += 1;
        if let (Some(newest), Some(oldest)) = (page.items.last(), merged.first()) {
            straddled |= newest.sent_at == oldest.sent_at;
        }
        assert!(
            page.items
                .windows(2)
                .all(|w| w[0].order_key() < w[1].order_key()),
            "page not oldest first"
        );
        merged.extend(page.items.into_iter().filter(|m| ids.insert(m.id.clone())));
        match page.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => break,
        }
        assert!(requests < 1_000, "paging did not stop");
    }
    (merged, requests, straddled)
}

#[tokio::test]
async fn paging_the_long_thread_back_gives_every_message_once_in_order() {
    let (handle, client) = start().await;
    let (id, expected) = longest_thread(&handle);
    assert!(expected.len() >= 2_000);
    let (mut merged, requests, straddled) = page_to_start(&client, &id).await;
    merged.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let got: Vec<String> = merged.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(got.len(), expected.len());
    let got_set: HashSet<_> = got.iter().collect();
    assert_eq!(got_set.len(), got.len(), "a message appeared twice");
    assert_eq!(got_set, expected.iter().collect::<HashSet<_>>());
    assert!(
        straddled,
        "no page edge fell inside an equal-timestamp group"
    );
    assert!(
        requests <= expected.len().div_ceil(200) + 1,
        "{requests} requests"
    );
}

#[tokio::test]
async fn messages_since_returns_only_newer_and_fills_gaps() {
    let (handle, client) = start().await;
    let (id, _) = longest_thread(&handle);
    let latest = client.messages_page(&id, None, 200).await.unwrap();
    let newest = latest.items.last().unwrap().sent_at;
    let quiet = client.messages_since(&id, newest, 200).await.unwrap();
    assert!(quiet.messages.iter().all(|m| m.sent_at >= newest));
    assert!(quiet.complete);
    // 450 new messages over 150 seconds, three per second: more than two pages behind.
    let injected: Vec<String> = handle.with_world(|w| {
        let conv = w.conversation_index(id.as_str()).unwrap();
        (0..450)
            .map(|i| {
                let at = newest + chrono::TimeDelta::seconds(1 + i / 3);
                w.add_simple(conv, true, &format!("burst {i}"), at)
            })
            .collect()
    });
    let caught = client.messages_since(&id, newest, 200).await.unwrap();
    assert!(caught.complete);
    let ids: HashSet<String> = caught.messages.iter().map(|m| m.id.to_string()).collect();
    assert!(injected.iter().all(|i| ids.contains(i)));
    assert!(caught.messages.iter().all(|m| m.sent_at >= newest));
    assert!(
        caught
            .messages
            .windows(2)
            .all(|w| w[0].order_key() < w[1].order_key())
    );

    // 300 more on one instant: the API gives 200 of them at most (crowded_instants.rs); the
    // catch-up stops and says which instant is short.
    let last = caught.messages.last().unwrap().sent_at;
    let flood: Vec<String> = (0..300)
        .map(|i| {
            handle
                .inject_inbound(id.as_str(), &format!("flood {i}"))
                .unwrap()
        })
        .collect();
    let flooded = client.messages_since(&id, last, 200).await.unwrap();
    assert!(flooded.messages.len() >= 200);
    let at = handle.with_world(|w| {
        let conv = w.conversation_index(id.as_str()).unwrap();
        let messages = &w.conversations[conv].messages;
        messages.iter().find(|m| m.id == flood[0]).unwrap().at
    });
    assert_eq!(flooded.gaps, [at]);
}

#[tokio::test]
async fn metadata_is_replaced_whole_and_cleared_with_null() {
    let (_handle, client) = start().await;
    let conv = client
        .list_conversations(0, 5)
        .await
        .unwrap()
        .items
        .remove(3);
    let replacement = json!({"status": "open", "nested": {"a": [1, 2, {"b": null}]}});
    let new = Metadata(replacement.as_object().cloned());
    let detail = client.update_metadata(&conv.id, &new).await.unwrap();
    assert_eq!(detail.conversation.metadata, new);
    let fetched = client.get_conversation(&conv.id, 5).await.unwrap();
    assert_eq!(fetched.conversation.metadata, new);
    let cleared = client
        .update_metadata(&conv.id, &Metadata(None))
        .await
        .unwrap();
    assert!(cleared.conversation.metadata.is_none());
    let fetched = client.get_conversation(&conv.id, 5).await.unwrap();
    assert!(fetched.conversation.metadata.is_none());
}

fn reply_to(conv: &switchboard::api::Conversation, body: &str) -> OutgoingMessage {
    OutgoingMessage {
        to: conv.counterparty.reply_address().to_owned(),
        from_number_id: conv.our_number_id.clone(),
        body: body.into(),
        media_urls: Vec::new(),
        reply_to: None,
        private: false,
    }
}

#[tokio::test]
async fn a_sent_message_appears_in_its_own_thread() {
    let (_handle, client) = start().await;
    let convs = client.list_conversations(0, 100).await.unwrap().items;
    for conv in convs.iter().filter(|c| c.capabilities.can_send).take(3) {
        let sent = client
            .send_message(&reply_to(conv, "On it — checking now"))
            .await
            .unwrap();
        assert_eq!(sent.conversation_id.as_ref(), Some(&conv.id));
        let page = client.messages_page(&conv.id, None, 20).await.unwrap();
        let found = page
            .items
            .iter()
            .find(|m| m.id == sent.id)
            .expect("sent message in thread");
        assert_eq!(found.body, "On it — checking now");
        assert_eq!(found.direction, switchboard::api::Direction::Outbound);
    }
    // Groups are addressed by group id and land in the group thread.
    let group = convs
        .iter()
        .find(|c| matches!(c.counterparty, switchboard::api::Counterparty::Group { .. }))
        .unwrap();
    let sent = client
        .send_message(&reply_to(group, "Hi all"))
        .await
        .unwrap();
    assert_eq!(sent.conversation_id.as_ref(), Some(&group.id));
}

#[tokio::test]
async fn each_error_class_comes_from_its_cause() {
    let (handle, client) = start_with(|c| c.retry = RetryPolicy::none()).await;
    let class = |r: Result<_, ApiError>| {
        r.map(|_: switchboard::api::Page<_>| ())
            .unwrap_err()
            .class()
    };
    let list = || client.list_conversations(0, 5);

    let wrong_key = AgentPhone::new(HttpConfig::new(
        handle.url().clone(),
        Some("nope".to_owned().into()),
    ))
    .unwrap();
    assert_eq!(
        class(wrong_key.list_conversations(0, 5).await),
        ErrorClass::Auth
    );
    let missing = client
        .get_conversation(&ConversationId::from("conv_missing"), 5)
        .await;
    assert_eq!(missing.unwrap_err().class(), ErrorClass::NotFound);

    let cases = [
        (Fault::Status(409), ErrorClass::Conflict),
        (Fault::Status(503), ErrorClass::Server),
        (
            Fault::RateLimit(RetryAfter::Seconds(1)),
            ErrorClass::RateLimited,
        ),
        (Fault::Malformed, ErrorClass::Decode),
        (Fault::Truncated, ErrorClass::Decode),
        (Fault::Drop, ErrorClass::Connection),
    ];
    for (fault, expected) in cases {
        handle.push_fault(FaultRule::next(fault.clone(), 1));
        assert_eq!(class(list().await), expected, "{fault:?}");
        // The gate of a 429 must not leak into the next case.
        tokio::time::sleep(Duration::from_millis(10)).await;
        if expected == ErrorClass::RateLimited {
            tokio::time::sleep(Duration::from_millis(1_100)).await;
        }
    }
}

#[tokio::test]
async fn validation_errors_carry_the_field() {
    let (handle, client) = start().await;
    let http = Http::new(handle.http_config()).unwrap();
    let err = http
        .get::<Value>(http.url("/v1/conversations", &[("limit", "500".into())]))
        .await
        .unwrap_err();
    match err {
        ApiError::Validation {
            status: 422,
            field,
            message,
        } => {
            assert_eq!(field.as_deref(), Some("limit"));
            assert!(message.contains("less than or equal to 100"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let conv = client
        .list_conversations(0, 1)
        .await
        .unwrap()
        .items
        .remove(0);
    let empty = client.send_message(&reply_to(&conv, "")).await.unwrap_err();
    assert_eq!(empty.class(), ErrorClass::Validation);
}

#[tokio::test]
async fn a_stalled_reply_times_out() {
    let (handle, client) = start_with(|c| {
        c.retry = RetryPolicy::none();
        c.request_timeout = Duration::from_millis(300);
    })
    .await;
    handle.push_fault(FaultRule::next(Fault::Stall(Duration::from_secs(3)), 1));
    let err = client.list_conversations(0, 5).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Timeout);
}

#[tokio::test]
async fn gets_retry_transient_failures_and_honour_retry_after() {
    let (handle, client) = start_with(fast_retries).await;
    handle.push_fault(FaultRule::next(Fault::Status(503), 1));
    handle.push_fault(FaultRule::next(Fault::Drop, 1));
    client.list_conversations(0, 5).await.unwrap();
    assert_eq!(count_requests(&handle, "GET", "/v1/conversations"), 3);

    for retry_after in [RetryAfter::Seconds(1), RetryAfter::HttpDate(1)] {
        handle.clear_requests();
        handle.push_fault(FaultRule::next(Fault::RateLimit(retry_after), 1));
        let started = Instant::now();
        client.list_conversations(0, 5).await.unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(950),
            "{retry_after:?}: {:?}",
            started.elapsed()
        );
        assert_eq!(count_requests(&handle, "GET", "/v1/conversations"), 2);
    }
}

#[tokio::test]
async fn a_long_retry_after_is_reported_not_slept_and_holds_back_other_requests() {
    let (handle, client) = start_with(fast_retries).await;
    handle.push_fault(FaultRule::next(
        Fault::RateLimit(RetryAfter::Seconds(120)),
        1,
    ));
    let started = Instant::now();
    let err = client.list_conversations(0, 5).await.unwrap_err();
    assert!(
        matches!(err, ApiError::RateLimited { retry_after: Some(d), .. } if d >= Duration::from_secs(119))
    );
    // Another request on the same client waits for the window instead of hitting the server.
    let again = client
        .get_conversation(&ConversationId::from("x"), 1)
        .await
        .unwrap_err();
    assert_eq!(again.class(), ErrorClass::RateLimited);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(handle.requests().len(), 1);
}

#[tokio::test]
async fn a_send_is_never_retried_and_a_lost_reply_means_unknown() {
    let (handle, client) = start_with(fast_retries).await;
    let conv = client
        .list_conversations(0, 1)
        .await
        .unwrap()
        .items
        .remove(0);
    handle.push_fault(FaultRule::next(Fault::Status(503), 1).on_method("POST"));
    let err = client
        .send_message(&reply_to(&conv, "first try"))
        .await
        .unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(count_requests(&handle, "POST", "/v1/messages"), 1);

    // The server acted, the reply was lost: the message is in the thread although the call failed.
    handle.push_fault(FaultRule::next(Fault::Drop, 1).on_method("POST"));
    let err = client
        .send_message(&reply_to(&conv, "lost reply"))
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(count_requests(&handle, "POST", "/v1/messages"), 2);
    let page = client.messages_page(&conv.id, None, 10).await.unwrap();
    assert_eq!(
        page.items.iter().filter(|m| m.body == "lost reply").count(),
        1
    );
}

#[tokio::test]
async fn the_sandbox_speaks_fastapi_errors_and_requires_the_key() {
    let (handle, _client) = start().await;
    let raw = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", handle.url().as_str().trim_end_matches('/'));
    let resp = raw.get(url("/v1/conversations")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.json::<Value>().await.unwrap()["detail"].is_string());
    let key = format!("Bearer {}", handle.api_key());
    let get = |path: &str| {
        raw.get(url(path))
            .header("Authorization", key.clone())
            .send()
    };
    let bad = get("/v1/conversations?limit=abc").await.unwrap();
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["detail"][0]["type"], "int_parsing");
    assert_eq!(body["detail"][0]["loc"], json!(["query", "limit"]));
    let conv = handle.with_world(|w| w.conversations[0].id.clone());
    let spaced = get(&format!(
        "/v1/conversations/{conv}/messages?before=2025-01-15T12:00:00 00:00"
    ))
    .await
    .unwrap();
    assert_eq!(spaced.status(), 422);
    let too_many = get(&format!("/v1/conversations/{conv}/messages?limit=201"))
        .await
        .unwrap();
    assert_eq!(too_many.status(), 422);
    let unknown = get("/v1/nope").await.unwrap();
    assert_eq!(unknown.status(), 404);
    let list: Value = get("/v1/conversations?limit=2")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list["hasMore"].as_bool().unwrap());
    assert!(list["total"].as_u64().unwrap() >= 200);
    let item = &list["data"][0];
    for key in [
        "id",
        "phoneNumber",
        "participant",
        "lastMessageAt",
        "messageCount",
        "createdAt",
    ] {
        assert!(!item[key].is_null(), "{key} missing");
    }
}

#[tokio::test]
async fn calls_and_contacts_are_served() {
    let (_handle, client) = start().await;
    let calls = client
        .list_calls(0, 10, &switchboard::api::CallFilter::default())
        .await
        .unwrap();
    assert_eq!(calls.items.len(), 10);
    assert!(
        calls
            .items
            .windows(2)
            .all(|w| w[0].started_at >= w[1].started_at)
    );
    let completed = calls
        .items
        .iter()
        .find(|c| c.status == "completed")
        .unwrap();
    let call = client.get_call(&completed.id).await.unwrap();
    assert!(!call.transcript.is_empty());
    let failed = client
        .list_calls(
            0,
            100,
            &switchboard::api::CallFilter {
                status: Some("failed".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!failed.items.is_empty(), "failed calls to check");
    assert!(failed.items.iter().all(|c| c.status == "failed"));
    let contacts = client.list_contacts(0, 100).await.unwrap();
    assert!(contacts.items.len() >= 100 || contacts.next == NextPage::End);
    assert!(contacts.items.iter().any(|c| c.name.is_some()));
}

#[tokio::test]
async fn messages_since_catches_up_whichever_end_the_server_starts_from() {
    let (handle, client) = start().await;
    let (id, _) = longest_thread(&handle);
    for oldest_first in [false, true] {
        handle.set_after_oldest_first(oldest_first);
        let latest = client.messages_page(&id, None, 200).await.unwrap();
        let newest = latest.items.last().unwrap().sent_at;
        let injected: Vec<String> = handle.with_world(|w| {
            let conv = w.conversation_index(id.as_str()).unwrap();
            (0..450)
                .map(|i| {
                    let at = newest + chrono::TimeDelta::seconds(1 + i / 3);
                    w.add_simple(conv, true, &format!("order {oldest_first} {i}"), at)
                })
                .collect()
        });
        let caught = client.messages_since(&id, newest, 200).await.unwrap();
        assert!(caught.complete, "oldest first: {oldest_first}");
        let ids: HashSet<String> = caught.messages.iter().map(|m| m.id.to_string()).collect();
        let missing = injected.iter().filter(|i| !ids.contains(*i)).count();
        assert_eq!(missing, 0, "oldest first: {oldest_first}");
    }
}
