//! Servers we did not write: the sandbox's odd-records knob serves every reply the way other
//! servers do (unknown keys, legacy names beside current ones, numbers as strings, booleans as
//! 0/1, other time formats) and a few records unreadable on purpose. Every provider's client reads
//! the same values as from plain replies, and the app shows every readable record and says once
//! that one could not be read.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::ListFilter;
use switchboard::api::anyreach::Anyreach;
use switchboard::api::chatwoot::Chatwoot;
use switchboard::api::{AgentPhone, Client, ConversationId, Cursor, NextPage};
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::sandbox::{self, FaultConfig, SandboxConfig, SandboxHandle};

const WAIT: Duration = Duration::from_secs(30);

fn odd(unreadable: &[&str]) -> FaultConfig {
    FaultConfig {
        odd_records: true,
        unreadable_ids: unreadable.iter().map(|s| (*s).to_owned()).collect(),
        ..FaultConfig::default()
    }
}

/// Every conversation of the list, page by page, as `Debug` text (bounded).
async fn whole_list(client: &Client) -> Vec<String> {
    let mut out = Vec::new();
    let mut offset = 0;
    for _ in 0..200 {
        let page = client
            .list_conversations(offset, 25, &ListFilter::default())
            .await
            .unwrap();
        out.extend(page.items.iter().map(|c| format!("{c:?}")));
        match page.next {
            NextPage::More(Cursor::Offset(next)) => offset = next,
            NextPage::More(other) => panic!("unexpected cursor {other:?}"),
            NextPage::End => return out,
        }
    }
    panic!("the list never ended")
}

/// The list and the first conversations' details, read plain and then odd: the same values.
async fn plain_and_odd_agree(handle: &SandboxHandle, client: &Client) {
    let plain = whole_list(client).await;
    let ids: Vec<ConversationId> = client
        .list_conversations(0, 5, &ListFilter::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut details = Vec::new();
    for id in &ids {
        details.push(format!(
            "{:?}",
            client.get_conversation(id, 50).await.unwrap()
        ));
    }
    assert!(
        plain.len() > 10 && !details.is_empty(),
        "something to compare"
    );
    handle.set_faults(odd(&[]));
    assert_eq!(
        whole_list(client).await,
        plain,
        "{}: the list",
        client.name()
    );
    for (id, want) in ids.iter().zip(&details) {
        let got = format!("{:?}", client.get_conversation(id, 50).await.unwrap());
        assert_eq!(&got, want, "{}: conversation {id}", client.name());
    }
    let (counts, _) = client.http().skips().report();
    assert!(counts.is_empty(), "nothing skipped: {counts:?}");
}

#[tokio::test]
async fn chatwoot_reads_odd_replies_as_plain_ones() {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let mut config = handle.http_config();
    config.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
    let client = Client::from(Chatwoot::new(config, 1).unwrap());
    plain_and_odd_agree(&handle, &client).await;
}

#[tokio::test]
async fn anyreach_reads_odd_replies_as_plain_ones() {
    let handle = sandbox::spawn(SandboxConfig::quiet(3)).await.unwrap();
    let mut config = handle.http_config();
    config.api_key = Some(SecretString::from(sandbox::ANYREACH_KEY.to_owned()));
    let client = Client::from(Anyreach::new(config).unwrap());
    plain_and_odd_agree(&handle, &client).await;
}

#[tokio::test]
async fn agentphone_reads_odd_replies_as_plain_ones() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = Client::from(AgentPhone::new(handle.http_config()).unwrap());
    plain_and_odd_agree(&handle, &client).await;
}

/// The app against odd replies with one conversation and one message unreadable: every other
/// conversation is listed, every other message of the thread shown with the server's text, and
/// the status bar says what was skipped.
#[tokio::test]
async fn one_unreadable_record_never_hides_the_others() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let (conversations, broken_conv, open_id, broken_msg, messages) = handle.with_world(|w| {
        let mut convs: Vec<_> = w.conversations.iter().collect();
        convs.sort_by_key(|c| std::cmp::Reverse(c.messages.last().map(|m| m.at)));
        let ids: Vec<String> = convs.iter().map(|c| c.id.clone()).collect();
        // Open the newest thread that has a few messages; break one in its middle.
        let open = convs.iter().find(|c| c.messages.len() >= 4).unwrap();
        let broken_msg = open.messages[open.messages.len() / 2].id.clone();
        let messages: Vec<(String, String)> = open
            .messages
            .iter()
            .filter(|m| m.id != broken_msg)
            .map(|m| (m.id.clone(), m.body.clone()))
            .collect();
        let broken_conv = ids.iter().find(|id| **id != open.id).unwrap().clone();
        (ids, broken_conv, open.id.clone(), broken_msg, messages)
    });
    handle.set_faults(odd(&[&broken_conv, &broken_msg]));
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let mut app = Headless::start(client, crate::common::quiet_settings(), 120, 40);
    let want = conversations.len() - 1;
    let listed = scroll_to_the_end(&mut app).await;
    let got: Vec<String> = app
        .state
        .inbox
        .list
        .items
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert!(
        listed,
        "every readable conversation is listed: {} of {want}",
        got.len()
    );
    let mut expected: Vec<String> = conversations
        .iter()
        .filter(|id| **id != broken_conv)
        .cloned()
        .collect();
    expected.sort();
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "all but the unreadable one, each once");
    let notice = app.state.chrome.notice.as_ref().map(|n| n.text.clone());
    assert!(
        notice
            .as_deref()
            .is_some_and(|n| n.contains("1 conversation could not be read")),
        "the status bar says so: {notice:?}"
    );
    let open_id = ConversationId(open_id);
    crate::common::open(&mut app, &open_id).await;
    let whole = app
        .run_until(WAIT, |s| {
            s.open_thread()
                .is_some_and(switchboard::app::state::Thread::at_beginning)
        })
        .await;
    assert!(whole, "the thread loads to its beginning");
    let shown: Vec<(String, String)> = app
        .state
        .open_thread()
        .unwrap()
        .messages
        .iter()
        .map(|m| (m.id.to_string(), m.body.clone()))
        .collect();
    assert_eq!(
        shown, messages,
        "every readable message with the server's text"
    );
}

/// Scrolls the list down until its last page is in (bounded).
async fn scroll_to_the_end(app: &mut Headless) -> bool {
    for _ in 0..100 {
        let before = app.state.inbox.list.items.len();
        app.command(Command::Bottom);
        let end = |s: &switchboard::app::state::AppState| s.inbox.list.next == Some(NextPage::End);
        app.run_until(WAIT, |s| end(s) || s.inbox.list.items.len() > before)
            .await;
        if end(&app.state) {
            return true;
        }
    }
    false
}

/// Lenient is not credulous: a malformed 200 (the fault knob's wrong-shaped JSON, which has a
/// numeric `id`, or an HTML page) for one item is a decode error, never another item or an
/// empty one; a send answered so has an unknown outcome (the thread is checked, nothing resent).
#[tokio::test]
async fn a_malformed_reply_about_one_item_is_never_taken_for_it() {
    use switchboard::api::{ErrorClass, OutgoingMessage};
    use switchboard::sandbox::{Fault, FaultRule};
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let conv = client.list_conversations(0, 5).await.unwrap().items[0].clone();
    for _ in 0..6 {
        handle.push_fault(FaultRule::next(Fault::Malformed, 1).on_path("/v1/conversations/"));
        let err = client.get_conversation(&conv.id, 10).await.unwrap_err();
        assert_eq!(err.class(), ErrorClass::Decode, "{err}");
        handle.push_fault(FaultRule::next(Fault::Malformed, 1).on_path("/v1/messages"));
        let message = OutgoingMessage {
            to: conv.counterparty.reply_address().to_owned(),
            from_number_id: conv.our_number_id.clone(),
            body: "are you there?".into(),
            media_urls: Vec::new(),
            reply_to: None,
            private: false,
        };
        let err = client.send_message(&message).await.unwrap_err();
        assert!(err.outcome_unknown(), "{err}");
    }
}

/// A page the server says is followed by more, none of whose messages can be read, is an error,
/// never the thread's beginning (which the thread would show and the cache keep).
#[tokio::test]
async fn a_full_page_of_unreadable_messages_is_not_the_beginning() {
    use switchboard::api::ErrorClass;
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let (id, newest) = handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .find(|c| c.messages.len() > 10)
            .unwrap();
        let newest: Vec<String> = conv
            .messages
            .iter()
            .rev()
            .take(5)
            .map(|m| m.id.clone())
            .collect();
        (ConversationId(conv.id.clone()), newest)
    });
    let names: Vec<&str> = newest.iter().map(String::as_str).collect();
    handle.set_faults(odd(&names));
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let err = client.messages_page(&id, None, 5).await.unwrap_err();
    assert_eq!(err.class(), ErrorClass::Decode, "{err}");
    let (counts, _) = client.http().skips().report();
    assert!(!counts.is_empty(), "the unreadable messages are reported");
}
