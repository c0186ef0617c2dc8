//! The session: quitting with unsaved work, rate limits and idle polls, read-only mode, saved work across restarts, suspend.

use super::*;

#[test]
fn quitting_with_unsaved_work_asks_first() {
    let mut s = composing("unsent words");
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Quit);
    assert_eq!(s.chrome.overlay, Some(Overlay::ConfirmQuit));
    assert!(!s.chrome.should_quit);
    cmd(&mut s, Command::No);
    assert!(!s.chrome.should_quit && s.chrome.overlay.is_none());
    cmd(&mut s, Command::Quit);
    cmd(&mut s, Command::Yes);
    assert!(s.chrome.should_quit);
    let mut clean = loaded(&["a"]);
    cmd(&mut clean, Command::Quit);
    assert!(clean.chrome.should_quit);
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
    let version = s.chrome.version;
    let effects = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(1),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(s.chrome.version, version, "no redraw when nothing changed");
}

#[test]
fn read_only_mode_refuses_writes_and_says_why() {
    let mut s = loaded(&["c"]);
    s.settings.read_only = true;
    cmd(&mut s, Command::Open);
    assert!(cmd(&mut s, Command::Reply).is_empty());
    assert_ne!(s.chrome.focus, Focus::Compose);
    assert!(s.chrome.notice.as_ref().unwrap().text.contains("Read-only"));
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.chrome.focus, Focus::Editor, "metadata can still be read");
    type_text(&mut s, "{}");
    assert!(
        !s.inbox.editor.as_ref().unwrap().is_dirty(),
        "but not edited"
    );
    assert!(cmd(&mut s, Command::Save).is_empty());
    assert!(s.chrome.notice.as_ref().unwrap().text.contains("Read-only"));
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
        s.inbox.drafts[&ConversationId("c".into())].body(),
        "restored text"
    );
    // A private note comes back as a note, never as a reply to the customer.
    assert!(s.inbox.drafts[&ConversationId("c".into())].private);
    assert_eq!(
        s.saved_work()
            .drafts
            .iter()
            .find(|d| d.conversation == "c")
            .map(|d| d.private),
        Some(true)
    );
    let d = &s.inbox.drafts[&ConversationId("d".into())];
    assert!(!d.private);
    assert!(matches!(
        d.sending.as_ref().unwrap().state,
        SendState::Unknown { .. }
    ));
    assert!(s.inbox.editor.as_ref().unwrap().is_dirty());
    assert!(
        s.chrome
            .notice
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
    assert!(s.chrome.suspend);
    assert_eq!(s.inbox.drafts[&ConversationId("c".into())].body(), "typing");
    let version = s.chrome.version;
    update(&mut s, Action::Resumed);
    assert!(!s.chrome.suspend && s.chrome.version != version);
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

/// An error of the connection clears as soon as a request succeeds again (a 503 stood beside
/// "● live" until something else replaced it); an error about one request stays its time.
#[test]
fn a_connection_error_clears_when_a_request_succeeds() {
    let mut s = loaded(&["c", "d"]);
    let (request, offset) = list_request(&cmd(&mut s, Command::Refresh));
    let down = ApiError::Server {
        status: 503,
        message: "down".into(),
    };
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Err(down),
        },
    );
    assert!(
        s.chrome
            .notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("503"))
    );
    let (request, offset) = list_request(&cmd(&mut s, Command::Refresh));
    let items = vec![conv("c", 1), conv("d", 2)];
    let result = Ok(page(items, NextPage::End));
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result,
        },
    );
    assert_eq!(s.sync.connection, crate::app::state::Connection::Live);
    assert_eq!(s.chrome.notice, None, "the 503 is gone once the list loads");
}
