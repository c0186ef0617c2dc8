//! The thread: the latest page at the bottom, prefetching older pages, a viewport that holds still, stale replies, polling.

use super::*;

#[test]
fn opening_shows_the_latest_page_at_the_bottom() {
    let s = opened(msgs(100, 300));
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.messages.len(), 200);
    assert_eq!(thread.scroll, Scroll::Bottom);
    assert_eq!(s.chrome.focus, Focus::Thread);
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
    let top = crate::app::update::viewport::viewport_top(&mut s).unwrap();
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
    let (index_before, offset_before) = crate::app::update::viewport::viewport_top(&mut s).unwrap();
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
    let (index_after, offset_after) = crate::app::update::viewport::viewport_top(&mut s).unwrap();
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
        s.inbox.threads[&ConversationId("c".into())]
            .messages
            .is_empty(),
        "the reply for c came too late"
    );
    assert_eq!(s.inbox.open, Some(ConversationId("d".into())));
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
        gaps: Vec::new(),
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
        gaps: Vec::new(),
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
    assert_eq!(
        crate::app::update::viewport::viewport_top(&mut s),
        Some((0, 0))
    );
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

/// More messages at one instant than the provider pages through (issue 19): the thread says that
/// some at that time could not be loaded, on the line above the first message there, and every
/// block's rows above it measure what is drawn.
#[test]
fn a_gap_is_marked_above_the_first_message_of_its_instant() {
    let mut messages = msgs(0, 6);
    let at = messages[2].sent_at;
    for m in &mut messages[2..5] {
        m.sent_at = at;
    }
    let mut s = loaded(&["c", "d"]);
    let (request, _) = thread_request(&cmd(&mut s, Command::Open));
    let mut latest = page(messages, NextPage::End);
    latest.gaps = vec![at];
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(latest),
            cached: false,
        },
    );
    let screen = super::reading::render(&s);
    let rows: Vec<&str> = screen.lines().collect();
    let marker = rows
        .iter()
        .position(|r| r.contains("⚠ some messages at 12:02:00 could not be loaded"))
        .unwrap_or_else(|| panic!("no marker in {screen}"));
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains("could not be loaded"))
            .count(),
        1,
        "one marker: {screen}"
    );
    assert!(rows[marker - 2].contains("body of m00001"), "{screen}");
    assert!(rows[marker + 1].contains("12:02"), "{screen}");
    assert!(rows[marker + 2].contains("body of m00002"), "{screen}");
    let theme = crate::ui::theme::Theme::dark();
    let ctx = crate::ui::thread::blocks::context(&s, &[], &theme);
    let thread = s.open_thread().unwrap();
    for i in 0..thread.messages.len() {
        let drawn = crate::ui::thread::blocks::top_lines(thread, i, 100, &ctx).len();
        let measured = crate::ui::thread::blocks::top_height(thread, i, s.tz);
        assert_eq!(usize::from(measured), drawn, "rows above message {i}");
    }
}
