//! Replies: sent once, unknown outcomes checked before any resend, late arrivals, drafts per conversation, note mode.

use super::*;

#[test]
fn a_send_goes_out_once_and_the_box_is_locked_meanwhile() {
    let mut s = composing("on my way");
    let request = send_request(&cmd(&mut s, Command::Send));
    assert!(
        cmd(&mut s, Command::Send).is_empty(),
        "no second send while the first is pending"
    );
    type_text(&mut s, "more");
    assert_eq!(
        s.inbox.drafts[&ConversationId("c".into())].body(),
        "on my way"
    );
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
    let draft = &s.inbox.drafts[&ConversationId("c".into())];
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
    s.inbox.list.items[0].desk = Some(Box::default());
    cmd(&mut s, Command::ToggleNote);
    assert!(s.inbox.drafts[&id].private);
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
    let draft = &s.inbox.drafts[&id];
    assert!(draft.is_empty(), "the note went out");
    assert!(draft.private, "still a note");
    cmd(&mut s, Command::ToggleNote);
    assert!(!s.inbox.drafts[&id].private, "ctrl-p switches back");
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
    let draft = &s.inbox.drafts[&conversation];
    assert!(draft.sending.is_none() && draft.error.is_some());
    assert_eq!(draft.body(), "refund approved", "the text is still there");
    // Sending again takes a second Enter.
    assert!(cmd(&mut s, Command::Send).is_empty());
    assert!(s.chrome.notice.as_ref().unwrap().text.contains("again"));
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
        s.inbox.drafts[&conversation].sending.is_some(),
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
    assert!(s.inbox.drafts[&conversation].sending.is_some());
    assert!(check_at(&mut s, 10, vec![our_copy("srv9")], true));
    let draft = &s.inbox.drafts[&conversation];
    assert!(draft.sending.is_none() && draft.is_empty() && draft.error.is_none());
}

#[test]
fn a_late_arrival_of_a_not_sent_attempt_is_noticed() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    for secs in 3..40 {
        check_at(&mut s, secs, Vec::new(), true);
    }
    assert!(s.inbox.drafts[&conversation].late.is_some());
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
                gaps: Vec::new(),
            }),
        },
    );
    let draft = &s.inbox.drafts[&conversation];
    assert!(
        draft.is_empty() && draft.late.is_none(),
        "sent after all: the draft is cleared"
    );
    assert!(
        s.chrome
            .notice
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
    let draft = &s.inbox.drafts[&ConversationId("c".into())];
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
    assert_eq!(s.inbox.drafts[&ConversationId("c".into())].body(), "for c");
    assert_eq!(s.inbox.drafts[&ConversationId("d".into())].body(), "for d");
}

#[test]
fn a_send_check_never_leaves_a_gap_in_the_thread() {
    let mut s = composing("refund approved");
    let conversation = unknown_send(&mut s);
    let before: Vec<MessageId> = s.inbox.threads[&conversation]
        .messages
        .iter()
        .map(|m| m.id.clone())
        .collect();
    // The check reads from ten minutes before the send: far newer than the thread's newest
    // loaded message (msgs(0, 20) are a month old). Merging it would open a gap.
    let mut recent = msg("recent", 0, Direction::Inbound);
    recent.sent_at = t0();
    assert!(check_at(&mut s, 3, vec![recent], true));
    let after: Vec<MessageId> = s.inbox.threads[&conversation]
        .messages
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(
        before, after,
        "the check only settles; the poll fills the thread"
    );
}
