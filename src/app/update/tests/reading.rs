//! The cache seen from `update` (cached list, read positions, cached pages), the "new messages"
//! divider, unread jumps and the search box.

use std::collections::HashMap;

use super::*;
use crate::app::state::SearchStatus;
use crate::cache::{SearchHit, Snapshot};

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn id(s: &str) -> ConversationId {
    ConversationId(s.into())
}

fn peeks(effects: &[Effect]) -> Vec<(ConversationId, Timestamp)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Peek {
                conversation,
                since,
                ..
            } => Some((conversation.clone(), *since)),
            _ => None,
        })
        .collect()
}

fn saved_seen(effects: &[Effect]) -> Vec<(ConversationId, Timestamp)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveSeen(seen) => Some(seen.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn snapshot(convs: Vec<Conversation>, seen: &[(&str, Timestamp)]) -> Action {
    Action::CacheLoaded {
        result: Ok(Snapshot {
            conversations: convs,
            seen: seen
                .iter()
                .map(|(c, t)| (id(c), *t))
                .collect::<HashMap<_, _>>(),
        }),
    }
}

#[test]
fn the_cached_list_is_shown_first_and_activity_past_the_read_position_is_peeked() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    assert!(effects.contains(&Effect::LoadCache));
    let (request, offset) = list_request(&effects);
    let seen_a = t0() - TimeDelta::hours(2);
    update(
        &mut s,
        snapshot(vec![conv("a", 90), conv("b", 100)], &[("a", seen_a)]),
    );
    assert!(s.inbox.list.from_cache);
    assert_eq!(s.inbox.list.items.len(), 2);
    assert_eq!(s.inbox.list.selected, Some(id("a")));
    // The server: `a` has news since the user last looked; `b` is new to the cache.
    let effects = update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(vec![conv("a", 1), conv("b", 100)], NextPage::End)),
        },
    );
    assert!(!s.inbox.list.from_cache);
    assert_eq!(peeks(&effects), [(id("a"), seen_a)]);
    let saved = saved_seen(&effects);
    assert!(saved.iter().any(|(c, _)| c == &id("b")), "{saved:?}");
    assert!(
        !saved.iter().any(|(c, _)| c == &id("a")),
        "a is still unread"
    );
}

#[test]
fn no_read_position_is_written_before_the_cache_was_read() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    let (request, offset) = list_request(&effects);
    let effects = update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(vec![conv("a", 1), conv("b", 2)], NextPage::End)),
        },
    );
    assert!(saved_seen(&effects).is_empty(), "the defaults wait");
    // The cache knows the user's real position for `a`: it wins, and `a` is peeked.
    let seen_a = t0() - TimeDelta::hours(1);
    let effects = update(&mut s, snapshot(Vec::new(), &[("a", seen_a)]));
    assert_eq!(peeks(&effects), [(id("a"), seen_a)]);
    let saved = saved_seen(&effects);
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0].0, id("b"));
}

#[test]
fn peeks_run_a_few_at_a_time_and_the_rest_wait_their_turn() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    let (request, offset) = list_request(&effects);
    let names: Vec<String> = (0..12).map(|n| format!("c{n}")).collect();
    let old = t0() - TimeDelta::days(1);
    let seen: Vec<(&str, Timestamp)> = names.iter().map(|n| (n.as_str(), old)).collect();
    update(&mut s, snapshot(Vec::new(), &seen));
    let items = names.iter().map(|n| conv(n, 1)).collect();
    let effects = update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(items, NextPage::End)),
        },
    );
    let first = peeks(&effects);
    assert_eq!(first.len(), 8);
    assert!(
        s.inbox.list.unread.is_empty(),
        "nothing is marked without asking"
    );
    let Some(Effect::Peek {
        request,
        conversation,
        ..
    }) = effects.iter().find(|e| matches!(e, Effect::Peek { .. }))
    else {
        unreachable!()
    };
    // Only our side spoke: not unread, and the read position moves on.
    let mut ours = msg("x", 0, Direction::Outbound);
    ours.sent_at = t0() - TimeDelta::minutes(1);
    let effects = update(
        &mut s,
        Action::Peeked {
            request: *request,
            conversation: conversation.clone(),
            result: Ok(CatchUp {
                messages: vec![ours.clone()],
                complete: true,
                gaps: Vec::new(),
            }),
        },
    );
    assert_eq!(peeks(&effects).len(), 1, "the next one starts");
    assert!(!s.inbox.list.unread.contains_key(conversation));
    assert_eq!(saved_seen(&effects), [(conversation.clone(), ours.sent_at)]);
}

/// `c` is unread; the user had seen up to message `m00020` of a 100-message page.
fn reopened_unread() -> AppState {
    let mut s = loaded(&["c", "d"]);
    let messages = msgs(0, 100);
    s.inbox.list.seen.insert(id("c"), messages[20].sent_at);
    s.inbox.list.unread.insert(id("c"), 3);
    let effects = cmd(&mut s, Command::Open);
    let (request, _) = thread_request(&effects);
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: id("c"),
            result: Ok(page(messages, NextPage::End)),
            cached: false,
        },
    );
    s
}

#[test]
fn an_unread_thread_opens_at_a_divider_where_the_user_left_off() {
    let s = reopened_unread();
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.divider, Some(MessageId("m00021".into())));
    // 79 new messages do not fit on screen: reading starts at the first of them.
    assert!(
        matches!(&thread.scroll, Scroll::Anchor { id, offset: 0, .. } if id.as_str() == "m00021"),
        "{:?}",
        thread.scroll
    );
    assert!(s.inbox.list.unread.is_empty());
    let screen = render(&s);
    assert!(screen.contains("new messages"), "{screen}");
}

pub fn render(state: &AppState) -> String {
    let backend = ratatui::backend::TestBackend::new(state.chrome.width, state.chrome.height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let mut view = crate::ui::ViewState::default();
    terminal
        .draw(|frame| crate::ui::render(frame, state, &mut view))
        .unwrap();
    format!("{:?}", terminal.backend().buffer())
}

#[test]
fn leaving_the_thread_drops_the_divider() {
    let mut s = reopened_unread();
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Open);
    let c = s.inbox.threads.get(&id("c")).unwrap();
    assert_eq!(c.divider, None);
}

#[test]
fn a_cached_newest_page_is_followed_by_a_poll_at_once() {
    let mut s = loaded(&["c", "d"]);
    let effects = cmd(&mut s, Command::Open);
    let (request, _) = thread_request(&effects);
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::LoadThread {
            from_cache: true,
            ..
        }
    )));
    let before = s.sync.last_success;
    let effects = update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: id("c"),
            result: Ok(page(msgs(0, 5), NextPage::End)),
            cached: true,
        },
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::PollThread { .. })),
        "{effects:?}"
    );
    assert_eq!(s.sync.last_success, before, "the cache is not the server");
}

#[test]
fn next_unread_wraps_around_and_opens_from_the_thread() {
    let mut s = loaded(&["a", "b", "c", "d"]);
    s.inbox.list.unread.insert(id("b"), 1);
    s.inbox.list.unread.insert(id("d"), 2);
    cmd(&mut s, Command::NextUnread);
    assert_eq!(s.inbox.list.selected, Some(id("b")));
    cmd(&mut s, Command::NextUnread);
    assert_eq!(s.inbox.list.selected, Some(id("d")));
    cmd(&mut s, Command::NextUnread);
    assert_eq!(s.inbox.list.selected, Some(id("b")), "wraps");
    cmd(&mut s, Command::PrevUnread);
    assert_eq!(s.inbox.list.selected, Some(id("d")));
    cmd(&mut s, Command::Open);
    let effects = cmd(&mut s, Command::NextUnread);
    assert_eq!(
        s.inbox.open,
        Some(id("b")),
        "from the thread, the next one opens"
    );
    thread_request(&effects);
    s.inbox.list.unread.clear();
    cmd(&mut s, Command::NextUnread);
    assert_eq!(
        s.chrome.notice.as_ref().map(|n| n.text.as_str()),
        Some("No unread conversations")
    );
}

fn hit(conversation: &str, message: &Message) -> SearchHit {
    SearchHit {
        conversation: id(conversation),
        title: "Person".into(),
        message: Some((message.id.clone(), message.sent_at)),
        snippet: vec![("body of ".into(), false), ("m00005".into(), true)],
    }
}

fn search_request(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Search { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a search, got {effects:?}"))
}

#[test]
fn the_search_box_searches_as_typed_and_drops_stale_answers() {
    let mut s = loaded(&["c", "d"]);
    assert!(cmd(&mut s, Command::Search).is_empty(), "nothing typed yet");
    assert!(
        update(&mut s, key('b')).is_empty(),
        "one letter is too little"
    );
    let first = search_request(&update(&mut s, key('o')));
    let second = search_request(&update(&mut s, key('d')));
    let target = msg("m00005", 5 * 60, Direction::Inbound);
    update(
        &mut s,
        Action::Searched {
            request: first,
            result: Ok(Vec::new()),
        },
    );
    let Some(Overlay::Search(panel)) = &s.chrome.overlay else {
        panic!("open")
    };
    assert_eq!(
        panel.status,
        SearchStatus::Searching(second),
        "stale answer dropped"
    );
    update(
        &mut s,
        Action::Searched {
            request: second,
            result: Ok(vec![hit("c", &target)]),
        },
    );
    let Some(Overlay::Search(panel)) = &s.chrome.overlay else {
        panic!("open")
    };
    assert_eq!((panel.hits.len(), &panel.status), (1, &SearchStatus::Done));
    assert_eq!(s.inbox.last_search, "bod");
    let screen = render(&s);
    assert!(screen.contains("1 result"), "{screen}");
}

#[test]
fn a_search_result_loads_older_pages_until_its_message_is_shown() {
    let mut s = loaded(&["c", "d"]);
    cmd(&mut s, Command::Search);
    update(&mut s, key('b'));
    let request = search_request(&update(&mut s, key('o')));
    let all = msgs(0, 300);
    update(
        &mut s,
        Action::Searched {
            request,
            result: Ok(vec![hit("c", &all[5])]),
        },
    );
    let effects = cmd(&mut s, Command::Open);
    assert_eq!(s.chrome.overlay, None);
    let (latest, cursor) = thread_request(&effects);
    assert_eq!(cursor, None);
    let before = |m: &Message| {
        NextPage::More(Cursor::Before {
            at: m.sent_at,
            inclusive: true,
        })
    };
    let effects = update(
        &mut s,
        Action::ThreadLoaded {
            request: latest,
            conversation: id("c"),
            result: Ok(page(all[100..].to_vec(), before(&all[100]))),
            cached: true,
        },
    );
    let (older, cursor) = thread_request(&effects);
    assert!(cursor.is_some(), "keeps loading towards the message");
    update(
        &mut s,
        Action::ThreadLoaded {
            request: older,
            conversation: id("c"),
            result: Ok(page(all[..=100].to_vec(), NextPage::End)),
            cached: true,
        },
    );
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.seek_to, None);
    assert_eq!(thread.mark, Some(all[5].id.clone()));
    assert!(
        matches!(&thread.scroll, Scroll::Anchor { id, .. } if *id == all[5].id),
        "{:?}",
        thread.scroll
    );
}

#[test]
fn a_poll_interval_above_its_maximum_does_not_panic() {
    let mut s = state();
    s.settings.thread_poll = Duration::from_secs(3600);
    s.settings.thread_poll_max = Duration::from_secs(30);
    super::super::status::schedule_thread(&mut s, false);
    assert_eq!(s.sync.thread.interval, Duration::from_secs(3600));
}

#[test]
fn the_filter_sees_rows_as_they_change() {
    let mut s = loaded(&["a", "b"]);
    cmd(&mut s, Command::Filter);
    for c in "zebra".chars() {
        update(&mut s, key(c));
    }
    assert!(s.visible_rows().is_empty());
    // A poll brings a new preview for `b`.
    s.sync.list.due = Some(t0());
    let effects = update(&mut s, Action::Tick { now: t0() });
    let (request, offset) = list_request(&effects);
    let mut b = conv("b", 0);
    b.preview = Some("the Zebra crossing".into());
    let mut a = conv("a", 1);
    a.counterparty = Counterparty::Person(Participant {
        address: "+1555a".into(),
        name: None,
    });
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(vec![a, b], NextPage::End)),
        },
    );
    let rows = s.visible_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(s.inbox.list.items[rows[0]].id, id("b"));
    // The address book names `a`: the filter finds it by that name.
    update(
        &mut s,
        Action::ContactsLoaded {
            result: Ok(vec![crate::api::Contact {
                id: "ct".into(),
                name: Some("Zebra Keeper".into()),
                address: "+1555a".into(),
            }]),
        },
    );
    assert_eq!(s.visible_rows().len(), 2);
}

/// Opens conversation `id` (selected in the list) with `count` messages, the whole history.
fn open_with(s: &mut AppState, conversation: &str, count: i64) {
    s.chrome.focus = Focus::List;
    s.inbox.list.selected = Some(id(conversation));
    let effects = cmd(s, Command::Open);
    if let Some(Effect::LoadThread { request, .. }) = effects
        .iter()
        .find(|e| matches!(e, Effect::LoadThread { .. }))
    {
        update(
            s,
            Action::ThreadLoaded {
                request: *request,
                conversation: id(conversation),
                result: Ok(page(msgs(0, count), NextPage::End)),
                cached: true,
            },
        );
    }
}

#[test]
fn threads_left_behind_are_dropped_beyond_the_message_budget() {
    let mut s = loaded(&["a", "b", "c", "d"]);
    for conversation in ["a", "b", "c"] {
        open_with(&mut s, conversation, 9_000);
    }
    assert_eq!(s.inbox.threads.len(), 3, "18,000 idle messages fit");
    open_with(&mut s, "d", 10);
    assert!(
        !s.inbox.threads.contains_key(&id("a")),
        "the least recently used went"
    );
    assert!(s.inbox.threads.contains_key(&id("b")) && s.inbox.threads.contains_key(&id("c")));
}

#[test]
fn a_huge_open_thread_lets_go_of_what_is_far_above_and_loads_it_again_on_the_way_up() {
    let mut s = loaded(&["c", "d"]);
    open_with(&mut s, "c", 20_000);
    let thread = s.open_thread().unwrap();
    assert_eq!(thread.messages.len(), 15_000);
    assert_eq!(thread.ids.len(), 15_000);
    let first = thread.messages[0].sent_at;
    assert_eq!(
        thread.older,
        Some(NextPage::More(Cursor::Before {
            at: first,
            inclusive: true
        }))
    );
    assert_eq!(thread.messages.last().unwrap().id.as_str(), "m19999");
    let effects = cmd(&mut s, Command::Top);
    let (_, cursor) = thread_request(&effects);
    assert_eq!(
        cursor,
        Some(Cursor::Before {
            at: first,
            inclusive: true
        })
    );
}

/// The heights the reducer scrolls by are the heights render draws (STYLE.md L3): with the
/// user's 24-hour clock, a zone off UTC and activity lines of every length around a wrap, each
/// block measures what its drawing holds. The reducer once measured with a 12-hour clock in UTC.
#[test]
fn measured_heights_are_drawn_heights() {
    use crate::app::update::viewport;
    use crate::app::view::{layout, time};
    use crate::ui::thread::blocks::{self, BlockCtx};
    let mut messages = msgs(0, 60);
    for (i, m) in messages.iter_mut().enumerate() {
        m.direction = Direction::System;
        m.body = "x".repeat(40 + i);
    }
    let mut s = opened(messages);
    s.settings.time_format = time::TimeFormat::H24;
    s.tz = time::Zone::Fixed(chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
    let measured = viewport::measure(&mut s, |messages, _, h, _| {
        (0..messages.len()).map(h).collect::<Vec<u16>>()
    })
    .unwrap();
    let (width, _) = layout::thread_viewport(&s);
    let theme = crate::ui::theme::Theme::dark();
    let ctx = BlockCtx {
        tz: s.tz,
        now: s.now,
        names: &s.inbox.contacts,
        participants: &[],
        time_format: time::TimeFormat::H24,
        theme: &theme,
        find: "",
    };
    let thread = s.open_thread().unwrap();
    for (i, m) in thread.messages.iter().enumerate() {
        let drawn = blocks::top_height(thread, i, s.tz)
            + u16::try_from(blocks::message_lines(m, width, &ctx).len()).unwrap();
        assert_eq!(measured[i], drawn, "message {i} ({} chars)", m.body.len());
    }
}
