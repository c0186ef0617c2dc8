//! Reducer tests: feed actions, assert state and effects. No I/O, no clock.

use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::update;
use crate::api::CatchUp;
use crate::api::{
    ApiError, Capabilities, Conversation, ConversationDetail, ConversationId, Counterparty, Cursor,
    DeliveryStatus, Direction, Message, MessageId, Metadata, NextPage, Page, Participant,
    SentMessage, Timestamp,
};
use crate::app::action::{Action, Command};
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
use crate::app::state::{
    Account, AppState, EditorPhase, Focus, Overlay, Scroll, SendState, Settings,
};

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn state() -> AppState {
    let account = Account {
        label: "test".into(),
        demo: true,
    };
    let mut state = AppState::new(
        account,
        t0(),
        crate::app::view::time::Zone::utc(),
        Settings::default(),
    );
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 30,
        },
    );
    state
}

fn conv(id: &str, minutes_ago: i64) -> Conversation {
    Conversation {
        id: ConversationId(id.into()),
        counterparty: Counterparty::Person(Participant {
            address: format!("+1555{id}"),
            name: Some(format!("Person {id}")),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: None,
        channel: Some("sms".into()),
        last_activity_at: Some(t0() - TimeDelta::minutes(minutes_ago)),
        preview: Some(format!("hello from {id}")),
        message_count: Some(3),
        metadata: Metadata(None),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

fn msg(id: &str, secs: i64, direction: Direction) -> Message {
    Message {
        id: MessageId(id.into()),
        direction,
        channel: Some("sms".into()),
        body: format!("body of {id}"),
        from: Some("+1555".into()),
        to: None,
        sender: None,
        media: Vec::new(),
        reactions: Vec::new(),
        reply_to: None,
        delivery: None,
        sent_at: t0() - TimeDelta::days(30) + TimeDelta::seconds(secs),
        private: false,
        turn: None,
    }
}

/// Messages `from..to` (ids `m{n}`), one minute apart, alternating direction.
fn msgs(from: i64, to: i64) -> Vec<Message> {
    (from..to)
        .map(|n| {
            let dir = if n % 2 == 0 {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            msg(&format!("m{n:05}"), n * 60, dir)
        })
        .collect()
}

fn page<T>(items: Vec<T>, next: NextPage) -> Page<T> {
    Page {
        items,
        next,
        total: None,
    }
}

fn cmd(state: &mut AppState, command: Command) -> Vec<Effect> {
    update(state, Action::Command(command))
}

/// The request id of the only conversations load in `effects`.
fn list_request(effects: &[Effect]) -> (RequestId, u64) {
    match effects {
        [
            Effect::LoadConversations {
                request, offset, ..
            },
            ..,
        ] => (*request, *offset),
        other => panic!("expected a list load, got {other:?}"),
    }
}

fn thread_request(effects: &[Effect]) -> (RequestId, Option<Cursor>) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadThread {
                request, cursor, ..
            } => Some((*request, cursor.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a thread load, got {effects:?}"))
}

/// A state with the list loaded (`ids`, newest first) and more pages after it.
fn loaded(ids: &[&str]) -> AppState {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    let (request, offset) = list_request(&effects);
    let items = ids
        .iter()
        .enumerate()
        .map(|(i, id)| conv(id, i64::try_from(i).unwrap() + 1))
        .collect();
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(
                items,
                NextPage::More(Cursor::Offset(ids.len() as u64)),
            )),
        },
    );
    s
}

/// A state with conversation `c` open and `messages` as its latest page (more before them).
fn opened(messages: Vec<Message>) -> AppState {
    let mut s = loaded(&["c", "d"]);
    let effects = cmd(&mut s, Command::Open);
    let (request, cursor) = thread_request(&effects);
    assert_eq!(cursor, None);
    let oldest = messages[0].sent_at;
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(
                messages,
                NextPage::More(Cursor::Before {
                    at: oldest,
                    inclusive: true,
                }),
            )),
            cached: false,
        },
    );
    s
}

#[test]
fn start_loads_the_first_page_and_contacts() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    assert_eq!(list_request(&effects).1, 0);
    assert!(effects.contains(&Effect::LoadContacts));
    assert!(s.list.load.is_loading());
}

#[test]
fn the_next_page_loads_near_the_end_once_and_failures_keep_rows_and_cursor() {
    let ids: Vec<String> = (0..50).map(|i| format!("c{i:02}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut s = loaded(&refs);
    assert_eq!(s.list.items.len(), 50);
    let mut loads = Vec::new();
    for _ in 0..45 {
        loads.extend(cmd(&mut s, Command::Down));
    }
    let requests: Vec<_> = loads
        .iter()
        .filter(|e| matches!(e, Effect::LoadConversations { .. }))
        .collect();
    assert_eq!(requests.len(), 1, "one request in flight at most");
    let (request, offset) = list_request(&loads);
    assert_eq!(offset, 50);
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Err(ApiError::Server {
                status: 503,
                message: "down".into(),
            }),
        },
    );
    assert_eq!(s.list.items.len(), 50, "a failed page keeps what is shown");
    assert!(matches!(s.list.load, Load::Failed(_)));
    assert_eq!(s.list.next, Some(NextPage::More(Cursor::Offset(50))));
    let retry = cmd(&mut s, Command::Refresh);
    assert_eq!(
        list_request(&retry).1,
        50,
        "the retry resumes from the same place"
    );
}

#[test]
fn stale_list_replies_are_dropped() {
    let mut s = loaded(&["a", "b"]);
    let before = s.list.items.clone();
    update(
        &mut s,
        Action::ConversationsLoaded {
            request: RequestId(999),
            offset: 0,
            result: Ok(page(vec![conv("zzz", 0)], NextPage::End)),
        },
    );
    assert_eq!(s.list.items, before);
}

#[test]
fn the_selection_follows_its_conversation_when_rows_move() {
    let mut s = loaded(&["a", "b", "c"]);
    cmd(&mut s, Command::Down);
    assert_eq!(s.list.selected, Some(ConversationId("b".into())));
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    // c has a new message: it moves to the top; a new conversation arrives too.
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(
                vec![conv("c", 0), conv("new", 0), conv("a", 1), conv("b", 2)],
                NextPage::End,
            )),
        },
    );
    let order: Vec<&str> = s.list.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(order, ["new", "c", "a", "b"]);
    assert_eq!(s.list.selected, Some(ConversationId("b".into())));
}

#[test]
fn new_activity_elsewhere_is_peeked_and_inbound_marks_unread() {
    let mut s = loaded(&["a", "b"]);
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    let effects = update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![conv("b", 0), conv("a", 1)], NextPage::End)),
        },
    );
    let Some(Effect::Peek {
        request,
        conversation,
        ..
    }) = effects.into_iter().next()
    else {
        panic!("expected a peek");
    };
    assert_eq!(conversation.as_str(), "b");
    let mut inbound = msg("x1", 0, Direction::Inbound);
    inbound.sent_at = t0();
    let outbound = Message {
        sent_at: t0(),
        ..msg("x2", 0, Direction::Outbound)
    };
    update(
        &mut s,
        Action::Peeked {
            request,
            conversation,
            result: Ok(CatchUp {
                messages: vec![inbound, outbound],
                complete: true,
            }),
        },
    );
    assert_eq!(s.list.unread.get(&ConversationId("b".into())), Some(&1));
}

#[test]
fn filtering_matches_names_numbers_previews_and_metadata() {
    let mut s = loaded(&["a", "b", "c"]);
    s.list.items[2].metadata = Metadata(json!({"assignee": "dana"}).as_object().cloned());
    cmd(&mut s, Command::Filter);
    for c in "dana".chars() {
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let rows = s.visible_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(s.list.selected.as_ref(), Some(&s.list.items[rows[0]].id));
    cmd(&mut s, Command::ClearFilter);
    assert_eq!(s.visible_rows().len(), 3);
}

#[test]
fn opening_shows_the_latest_page_at_the_bottom() {
    let s = opened(msgs(100, 300));
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.messages.len(), 200);
    assert_eq!(thread.scroll, Scroll::Bottom);
    assert_eq!(s.focus, Focus::Thread);
}

#[test]
fn scrolling_up_prefetches_before_the_top_once() {
    let mut s = opened(msgs(100, 300));
    let mut effects = Vec::new();
    let mut steps = 0;
    while !effects
        .iter()
        .any(|e| matches!(e, Effect::LoadThread { .. }))
    {
        effects = cmd(&mut s, Command::PageUp);
        steps += 1;
        assert!(steps < 500, "never prefetched");
    }
    let top = super::viewport::viewport_top(&mut s).unwrap();
    assert!(
        top.0 > 0,
        "prefetch happens before the first message is on screen"
    );
    let (_, cursor) = thread_request(&effects);
    assert!(matches!(cursor, Some(Cursor::Before { .. })));
    // While it is in flight, scrolling does not ask again.
    let again = cmd(&mut s, Command::PageUp);
    assert!(!again.iter().any(|e| matches!(e, Effect::LoadThread { .. })));
}

#[test]
fn older_messages_arriving_do_not_move_the_viewport() {
    let mut s = opened(msgs(100, 300));
    let mut effects = Vec::new();
    for _ in 0..2_000 {
        effects = cmd(&mut s, Command::Up);
        if effects
            .iter()
            .any(|e| matches!(e, Effect::LoadThread { .. }))
        {
            break;
        }
    }
    let (request, _) = thread_request(&effects);
    let anchor_before = s.open_thread().unwrap().scroll.clone();
    let (index_before, offset_before) = super::viewport::viewport_top(&mut s).unwrap();
    // The page before overlaps the boundary message m00100 (an inclusive cursor).
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(msgs(0, 101), NextPage::End)),
            cached: false,
        },
    );
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.messages.len(), 300, "the overlap is de-duplicated");
    let Scroll::Anchor { id: before_id, .. } = anchor_before else {
        panic!()
    };
    let Scroll::Anchor { id: after_id, .. } = &thread.scroll else {
        panic!()
    };
    assert_eq!(&before_id, after_id, "anchored to the same message");
    let (index_after, offset_after) = super::viewport::viewport_top(&mut s).unwrap();
    assert_eq!(index_after, index_before + 100);
    // The anchor lost its history header row (2 lines) and kept its day separator, if any.
    assert!(offset_after <= offset_before);
}

#[test]
fn switching_conversations_drops_the_stale_thread_reply() {
    let mut s = loaded(&["c", "d"]);
    let effects = cmd(&mut s, Command::Open);
    let (request, _) = thread_request(&effects);
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Open);
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(msgs(0, 10), NextPage::End)),
            cached: false,
        },
    );
    assert!(
        s.threads[&ConversationId("c".into())].messages.is_empty(),
        "the reply for c came too late"
    );
    assert_eq!(s.open, Some(ConversationId("d".into())));
}

#[test]
fn polling_follows_at_the_bottom_and_counts_new_messages_when_scrolled_up() {
    let mut s = opened(msgs(100, 300));
    let conversation = ConversationId("c".into());
    let poll = |s: &mut AppState| -> RequestId {
        s.sync.thread.due = Some(s.now);
        let effects = update(s, Action::Tick { now: s.now });
        effects
            .iter()
            .find_map(|e| match e {
                Effect::PollThread { request, .. } => Some(*request),
                _ => None,
            })
            .expect("a thread poll")
    };
    let request = poll(&mut s);
    let result = Ok(CatchUp {
        messages: msgs(299, 302),
        complete: true,
    });
    update(
        &mut s,
        Action::ThreadPolled {
            request,
            conversation: conversation.clone(),
            result,
        },
    );
    assert_eq!(s.open_thread().unwrap().scroll, Scroll::Bottom);
    assert_eq!(s.open_thread().unwrap().new_below, 0);
    for _ in 0..10 {
        cmd(&mut s, Command::Up);
    }
    let request = poll(&mut s);
    let result = Ok(CatchUp {
        messages: msgs(301, 305),
        complete: true,
    });
    update(
        &mut s,
        Action::ThreadPolled {
            request,
            conversation,
            result,
        },
    );
    let thread = s.open_thread().unwrap();
    assert!(matches!(thread.scroll, Scroll::Anchor { .. }));
    assert_eq!(thread.new_below, 3);
    cmd(&mut s, Command::Bottom);
    assert_eq!(s.open_thread().unwrap().new_below, 0);
}

#[test]
fn top_keeps_loading_until_the_beginning() {
    let mut s = opened(msgs(400, 600));
    let effects = cmd(&mut s, Command::Top);
    let (request, _) = thread_request(&effects);
    let effects = update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(
                msgs(200, 401),
                NextPage::More(Cursor::Before {
                    at: msgs(200, 201)[0].sent_at,
                    inclusive: true,
                }),
            )),
            cached: false,
        },
    );
    let (request, _) = thread_request(&effects);
    let effects = update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(msgs(0, 201), NextPage::End)),
            cached: false,
        },
    );
    assert!(effects.is_empty());
    let thread = s.open_thread().unwrap();
    assert!(thread.at_beginning());
    assert_eq!(thread.messages.len(), 600);
    assert_eq!(super::viewport::viewport_top(&mut s), Some((0, 0)));
}

#[test]
fn metadata_text_is_validated_as_you_type() {
    use super::parse_metadata;
    assert_eq!(parse_metadata("  "), Ok(Metadata(None)));
    assert!(parse_metadata(r#"{"a": 1}"#).unwrap().0.is_some());
    let err = parse_metadata("{\n  \"a\": 1,\n}").unwrap_err();
    assert_eq!((err.line, err.column), (3, 1));
    let err = parse_metadata("[1, 2]").unwrap_err();
    assert!(err.message.contains("JSON object"));
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(
            s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn editor_with_edit() -> AppState {
    let mut s = loaded(&["c"]);
    s.list.items[0].metadata = Metadata(json!({"status": "open"}).as_object().cloned());
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.focus, Focus::Editor);
    // Replace the text with a new object.
    s.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
    type_text(&mut s, r#"{"status": "done"}"#);
    s
}

fn fetched_with(s: &mut AppState, metadata: &serde_json::Value) -> Vec<Effect> {
    let effects = cmd(s, Command::Save);
    let Some(Effect::FetchConversation {
        request,
        conversation,
    }) = effects.into_iter().next()
    else {
        panic!("saving starts with a fresh read");
    };
    let mut fresh = conv("c", 0);
    fresh.metadata = Metadata(metadata.as_object().cloned());
    update(
        s,
        Action::ConversationFetched {
            request,
            conversation,
            result: Ok(ConversationDetail {
                conversation: fresh,
                messages: Vec::new(),
            }),
        },
    )
}

#[test]
fn an_unchanged_server_copy_is_saved_over() {
    let mut s = editor_with_edit();
    let effects = fetched_with(&mut s, &json!({"status": "open"}));
    let Some(Effect::SaveMetadata { metadata, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(metadata.field_text("status").as_deref(), Some("done"));
}

#[test]
fn a_changed_server_copy_is_never_clobbered_silently() {
    let mut s = editor_with_edit();
    let effects = fetched_with(&mut s, &json!({"status": "open", "assignee": "lee"}));
    assert!(effects.is_empty());
    assert!(matches!(
        s.editor.as_ref().unwrap().phase,
        EditorPhase::Conflict { .. }
    ));
    // Reload takes the server's version.
    cmd(&mut s, Command::Reload);
    let editor = s.editor.as_ref().unwrap();
    assert_eq!(editor.base.field_text("assignee").as_deref(), Some("lee"));
    assert!(!editor.is_dirty());
    // Or overwrite, after another edit and another conflict.
    let mut s = editor_with_edit();
    fetched_with(&mut s, &json!({"other": true}));
    let effects = cmd(&mut s, Command::Overwrite);
    assert!(matches!(effects.first(), Some(Effect::SaveMetadata { .. })));
}

#[test]
fn invalid_json_is_not_saved_and_a_failed_save_keeps_the_edit() {
    let mut s = loaded(&["c"]);
    cmd(&mut s, Command::EditMetadata);
    type_text(&mut s, "{ broken");
    assert!(s.editor.as_ref().unwrap().parsed.is_err());
    assert!(cmd(&mut s, Command::Save).is_empty());
    let mut s = editor_with_edit();
    let effects = fetched_with(&mut s, &json!({"status": "open"}));
    let Some(Effect::SaveMetadata {
        request,
        conversation,
        ..
    }) = effects.into_iter().next()
    else {
        panic!()
    };
    update(
        &mut s,
        Action::MetadataSaved {
            request,
            conversation,
            result: Err(ApiError::Timeout {
                after: Duration::from_secs(20),
            }),
        },
    );
    let editor = s.editor.as_ref().unwrap();
    assert!(editor.error.is_some());
    assert!(editor.is_dirty(), "the edit is still there");
    // Leaving with unsaved changes asks first.
    cmd(&mut s, Command::Back);
    assert_eq!(s.overlay, Some(Overlay::ConfirmDiscard));
}

fn composing(text: &str) -> AppState {
    let mut s = opened(msgs(0, 20));
    cmd(&mut s, Command::Reply);
    assert_eq!(s.focus, Focus::Compose);
    type_text(&mut s, text);
    s
}

fn send_request(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SendMessage {
                request, message, ..
            } => {
                assert_eq!(message.to, "+1555c");
                assert_eq!(message.from_number_id.as_deref(), Some("num_1"));
                Some(*request)
            }
            _ => None,
        })
        .expect("a send")
}

#[test]
fn a_send_goes_out_once_and_the_box_is_locked_meanwhile() {
    let mut s = composing("on my way");
    let request = send_request(&cmd(&mut s, Command::Send));
    assert!(
        cmd(&mut s, Command::Send).is_empty(),
        "no second send while the first is pending"
    );
    type_text(&mut s, "more");
    assert_eq!(s.drafts[&ConversationId("c".into())].body(), "on my way");
    let sent = SentMessage {
        id: MessageId("srv1".into()),
        status: DeliveryStatus::Sent,
        channel: None,
        conversation_id: None,
    };
    update(
        &mut s,
        Action::MessageSent {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(sent),
        },
    );
    let draft = &s.drafts[&ConversationId("c".into())];
    assert!(draft.is_empty() && draft.sending.is_none());
    assert_eq!(
        s.open_thread().unwrap().outbox.len(),
        1,
        "a sent row until the server copy arrives"
    );
}

/// A Chatwoot note sent: the box stays in note mode until ctrl-p switches it back, so a second
/// note typed at once never goes to the customer.
#[test]
fn note_mode_stays_after_a_note_is_sent() {
    let mut s = composing("internal: refund approved");
    let id = ConversationId("c".into());
    s.list.items[0].desk = Some(Box::default());
    cmd(&mut s, Command::ToggleNote);
    assert!(s.drafts[&id].private);
    let request = send_request(&cmd(&mut s, Command::Send));
    let sent = SentMessage {
        id: MessageId("srv1".into()),
        status: DeliveryStatus::Sent,
        channel: None,
        conversation_id: None,
    };
    let conversation = id.clone();
    update(
        &mut s,
        Action::MessageSent {
            request,
            conversation,
            result: Ok(sent),
        },
    );
    let draft = &s.drafts[&id];
    assert!(draft.is_empty(), "the note went out");
    assert!(draft.private, "still a note");
    cmd(&mut s, Command::ToggleNote);
    assert!(!s.drafts[&id].private, "ctrl-p switches back");
}

/// Sends "refund approved", fails with an unknown outcome; returns the conversation.
fn unknown_send(s: &mut AppState) -> ConversationId {
    let request = send_request(&cmd(s, Command::Send));
    let conversation = ConversationId("c".into());
    let timeout = Err(ApiError::Timeout {
        after: Duration::from_secs(20),
    });
    update(
        s,
        Action::MessageSent {
            request,
            conversation: conversation.clone(),
            result: timeout,
        },
    );
    conversation
}

/// Ticks to `secs` after t0 and answers the check that starts, if any, with `messages`.
fn check_at(s: &mut AppState, secs: i64, messages: Vec<Message>, complete: bool) -> bool {
    let effects = update(
        s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(secs),
        },
    );
    let Some(Effect::CheckSend {
        request,
        conversation,
        ..
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::CheckSend { .. }))
    else {
        return false;
    };
    update(
        s,
        Action::SendChecked {
            request,
            conversation,
            result: Ok(CatchUp { messages, complete }),
        },
    );
    true
}

/// Our copy of "refund approved" as the server would list it.
fn our_copy(id: &str) -> Message {
    let mut m = msg(id, 0, Direction::Outbound);
    m.body = "refund approved".into();
    m.from = Some("+14155550100".into());
    m.sent_at = t0();
    m
}

#[test]
fn an_unknown_outcome_is_checked_three_times_before_sending_again() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    assert!(
        cmd(&mut s, Command::Send).is_empty(),
        "no resend while the outcome is unknown"
    );
    assert!(
        !check_at(&mut s, 1, Vec::new(), true),
        "not before the first check is due"
    );
    let mut checks = 0;
    for secs in 3..40 {
        if check_at(&mut s, secs, Vec::new(), true) {
            checks += 1;
        }
    }
    assert_eq!(checks, 3);
    let draft = &s.drafts[&conversation];
    assert!(draft.sending.is_none() && draft.error.is_some());
    assert_eq!(draft.body(), "refund approved", "the text is still there");
    // Sending again takes a second Enter.
    assert!(cmd(&mut s, Command::Send).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("again"));
    send_request(&cmd(&mut s, Command::Send));
}

#[test]
fn an_incomplete_read_is_never_taken_as_not_sent() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    for secs in 3..120 {
        check_at(&mut s, secs, Vec::new(), false);
    }
    assert!(
        s.drafts[&conversation].sending.is_some(),
        "still checking, still locked"
    );
}

#[test]
fn an_unknown_send_found_in_the_thread_is_settled_as_sent() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    // An AI reply with the same words from another number, or an old copy, is not ours.
    let mut theirs = our_copy("ai1");
    theirs.from = Some("+19999999999".into());
    let mut old = our_copy("old1");
    old.sent_at = t0() - TimeDelta::hours(1);
    assert!(check_at(&mut s, 3, vec![theirs, old], true));
    assert!(s.drafts[&conversation].sending.is_some());
    assert!(check_at(&mut s, 10, vec![our_copy("srv9")], true));
    let draft = &s.drafts[&conversation];
    assert!(draft.sending.is_none() && draft.is_empty() && draft.error.is_none());
}

#[test]
fn a_late_arrival_of_a_not_sent_attempt_is_noticed() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    for secs in 3..40 {
        check_at(&mut s, secs, Vec::new(), true);
    }
    assert!(s.drafts[&conversation].late.is_some());
    // The thread poll in flight since the checks brings the message after all.
    let request = s.sync.thread.request.expect("a thread poll is in flight");
    update(
        &mut s,
        Action::ThreadPolled {
            request,
            conversation: conversation.clone(),
            result: Ok(CatchUp {
                messages: vec![our_copy("late1")],
                complete: true,
            }),
        },
    );
    let draft = &s.drafts[&conversation];
    assert!(
        draft.is_empty() && draft.late.is_none(),
        "sent after all: the draft is cleared"
    );
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("arrived after all")
    );
}

#[test]
fn a_definite_failure_keeps_the_text_and_allows_a_retry() {
    let mut s = composing("hello");
    let request = send_request(&cmd(&mut s, Command::Send));
    let rejected = Err(ApiError::Validation {
        status: 400,
        field: None,
        message: "opted out".into(),
    });
    update(
        &mut s,
        Action::MessageSent {
            request,
            conversation: ConversationId("c".into()),
            result: rejected,
        },
    );
    let draft = &s.drafts[&ConversationId("c".into())];
    assert_eq!(draft.body(), "hello");
    assert!(draft.sending.is_none());
    assert!(draft.error.as_deref().unwrap().contains("opted out"));
}

#[test]
fn drafts_are_kept_per_conversation() {
    let mut s = composing("for c");
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Reply);
    type_text(&mut s, "for d");
    assert_eq!(s.drafts[&ConversationId("c".into())].body(), "for c");
    assert_eq!(s.drafts[&ConversationId("d".into())].body(), "for d");
}

#[test]
fn quitting_with_unsaved_work_asks_first() {
    let mut s = composing("unsent words");
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Quit);
    assert_eq!(s.overlay, Some(Overlay::ConfirmQuit));
    assert!(!s.should_quit);
    cmd(&mut s, Command::No);
    assert!(!s.should_quit && s.overlay.is_none());
    cmd(&mut s, Command::Quit);
    cmd(&mut s, Command::Yes);
    assert!(s.should_quit);
    let mut clean = loaded(&["a"]);
    cmd(&mut clean, Command::Quit);
    assert!(clean.should_quit);
}

#[test]
fn rate_limits_hold_polls_until_retry_after() {
    let mut s = loaded(&["a"]);
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    let limited = Err(ApiError::RateLimited {
        retry_after: Some(Duration::from_secs(30)),
        message: String::new(),
    });
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: limited,
        },
    );
    let held = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(10),
        },
    );
    assert!(held.is_empty());
    let resumed = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(31),
        },
    );
    assert_eq!(list_request(&resumed).1, 0);
}

#[test]
fn idle_polls_back_off_and_a_change_resets_them() {
    let mut s = loaded(&["a"]);
    let mut intervals = Vec::new();
    for _ in 0..4 {
        s.sync.list.due = Some(s.now);
        let effects = update(&mut s, Action::Tick { now: t0() });
        let (request, _) = list_request(&effects);
        update(
            &mut s,
            Action::ConversationsLoaded {
                request,
                offset: 0,
                result: Ok(page(vec![conv("a", 1)], NextPage::End)),
            },
        );
        intervals.push(s.sync.list.interval);
    }
    assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![conv("a", 0)], NextPage::End)),
        },
    );
    assert_eq!(s.sync.list.interval, s.settings.list_poll);
}

#[test]
fn an_idle_tick_changes_nothing_visible() {
    let mut s = loaded(&["a"]);
    let version = s.version;
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(1),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(s.version, version, "no redraw when nothing changed");
}

#[test]
fn read_only_mode_refuses_writes_and_says_why() {
    let mut s = loaded(&["c"]);
    s.settings.read_only = true;
    cmd(&mut s, Command::Open);
    assert!(cmd(&mut s, Command::Reply).is_empty());
    assert_ne!(s.focus, Focus::Compose);
    assert!(s.notice.as_ref().unwrap().text.contains("Read-only"));
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.focus, Focus::Editor, "metadata can still be read");
    type_text(&mut s, "{}");
    assert!(!s.editor.as_ref().unwrap().is_dirty(), "but not edited");
    assert!(cmd(&mut s, Command::Save).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("Read-only"));
}

#[test]
fn drafts_are_written_only_after_the_last_session_was_read_and_only_when_changed() {
    use crate::store::{SavedDraft, SavedWork};
    let mut s = composing("half a reply");
    let tick = |s: &mut AppState, secs| {
        update(
            s,
            Action::Tick {
                now: t0() + TimeDelta::seconds(secs),
            },
        )
    };
    assert!(
        !tick(&mut s, 1)
            .iter()
            .any(|e| matches!(e, Effect::SaveWork(_))),
        "not before the load answered"
    );
    update(
        &mut s,
        Action::WorkLoaded {
            result: Ok(SavedWork::default()),
        },
    );
    let effects = tick(&mut s, 2);
    let Some(Effect::SaveWork(work)) = effects.iter().find(|e| matches!(e, Effect::SaveWork(_)))
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        work.drafts,
        vec![SavedDraft {
            conversation: "c".into(),
            text: "half a reply".into(),
            unsettled_since: None,
            private: false,
        }]
    );
    assert!(
        !tick(&mut s, 3)
            .iter()
            .any(|e| matches!(e, Effect::SaveWork(_))),
        "unchanged: nothing written"
    );
    type_text(&mut s, "!");
    assert!(
        tick(&mut s, 4)
            .iter()
            .any(|e| matches!(e, Effect::SaveWork(_)))
    );
}

#[test]
fn the_last_sessions_work_is_restored_and_an_unsettled_send_is_checked_not_resent() {
    use crate::store::{SavedDraft, SavedEdit, SavedWork};
    let mut s = loaded(&["c", "d"]);
    let work = SavedWork {
        drafts: vec![
            SavedDraft {
                conversation: "c".into(),
                text: "restored text".into(),
                unsettled_since: None,
                private: true,
            },
            SavedDraft {
                conversation: "d".into(),
                text: "was sending".into(),
                unsettled_since: Some(t0()),
                private: false,
            },
        ],
        edit: Some(SavedEdit {
            conversation: "c".into(),
            base: Metadata(None),
            text: "{\"a\": 1}".into(),
        }),
    };
    update(&mut s, Action::WorkLoaded { result: Ok(work) });
    assert_eq!(
        s.drafts[&ConversationId("c".into())].body(),
        "restored text"
    );
    // A private note comes back as a note, never as a reply to the customer.
    assert!(s.drafts[&ConversationId("c".into())].private);
    assert_eq!(
        s.saved_work()
            .drafts
            .iter()
            .find(|d| d.conversation == "c")
            .map(|d| d.private),
        Some(true)
    );
    let d = &s.drafts[&ConversationId("d".into())];
    assert!(!d.private);
    assert!(matches!(
        d.sending.as_ref().unwrap().state,
        SendState::Unknown { .. }
    ));
    assert!(s.editor.as_ref().unwrap().is_dirty());
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Restored 2 reply drafts and a metadata edit")
    );
    // The unsettled send is checked on the next tick; pressing send does nothing meanwhile.
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(1),
        },
    );
    assert!(effects.iter().any(
        |e| matches!(e, Effect::CheckSend { conversation, .. } if conversation.as_str() == "d")
    ));
}

#[test]
fn ctrl_z_suspends_from_anywhere_and_resuming_redraws() {
    let mut s = composing("typing");
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
    );
    assert!(s.suspend);
    assert_eq!(s.drafts[&ConversationId("c".into())].body(), "typing");
    let version = s.version;
    update(&mut s, Action::Resumed);
    assert!(!s.suspend && s.version != version);
}

#[test]
fn an_absurd_retry_after_never_overflows_the_clock() {
    let mut s = loaded(&["a"]);
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    let limited = Err(ApiError::RateLimited {
        retry_after: Some(Duration::MAX),
        message: String::new(),
    });
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: limited,
        },
    );
    assert!(matches!(
        s.sync.connection,
        crate::app::state::Connection::RateLimited { .. }
    ));
}

#[test]
fn a_refused_poll_keeps_polling_at_the_idle_pace() {
    let mut s = loaded(&["a"]);
    s.sync.list.due = Some(s.now);
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    let refused = Err(ApiError::NotFound {
        message: "proxy says no".into(),
    });
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: refused,
        },
    );
    assert!(s.sync.list.due.is_some(), "the next poll is scheduled");
    let later = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::minutes(2),
        },
    );
    assert_eq!(list_request(&later).1, 0);
}

#[test]
fn a_failed_first_thread_load_is_retried_by_the_poll_timer() {
    let mut s = loaded(&["c", "d"]);
    let effects = cmd(&mut s, Command::Open);
    let (request, _) = thread_request(&effects);
    let down = Err(ApiError::Server {
        status: 503,
        message: "down".into(),
    });
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: down,
            cached: false,
        },
    );
    assert!(matches!(s.open_thread().unwrap().latest, Load::Failed(_)));
    let later = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::minutes(2),
        },
    );
    let (_, cursor) = thread_request(&later);
    assert_eq!(cursor, None, "the latest page is asked for again");
}

#[test]
fn pasted_control_characters_never_reach_the_editor() {
    let mut s = loaded(&["c"]);
    cmd(&mut s, Command::EditMetadata);
    update(
        &mut s,
        Action::Paste("\x1b]52;c;eA==\x07{\u{202e}}\r\n".into()),
    );
    let text = s.editor.as_ref().unwrap().text.lines().join("\n");
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' || crate::text::is_bidi_control(c)),
        "{text:?}"
    );
}

#[test]
fn a_send_check_never_leaves_a_gap_in_the_thread() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    let before: Vec<MessageId> = s.threads[&conversation]
        .messages
        .iter()
        .map(|m| m.id.clone())
        .collect();
    // The check reads from ten minutes before the send: far newer than the thread's newest
    // loaded message (msgs(0, 20) are a month old). Merging it would open a gap.
    let mut recent = msg("recent", 0, Direction::Inbound);
    recent.sent_at = t0();
    assert!(check_at(&mut s, 3, vec![recent], true));
    let after: Vec<MessageId> = s.threads[&conversation]
        .messages
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(
        before, after,
        "the check only settles; the poll fills the thread"
    );
}

mod calls;
mod find;
mod providers;
mod reading;
mod terminal;
