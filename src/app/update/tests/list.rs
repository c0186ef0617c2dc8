//! The conversation list: paging, stale replies, selection that follows its row, peeks and unread marks, the filter.

use super::*;

#[test]
fn start_loads_the_first_page_and_contacts() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    assert_eq!(list_request(&effects).1, 0);
    assert!(effects.contains(&Effect::LoadContacts));
    assert!(s.inbox.list.load.is_loading());
}

#[test]
fn the_next_page_loads_near_the_end_once_and_failures_keep_rows_and_cursor() {
    let ids: Vec<String> = (0..50).map(|i| format!("c{i:02}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut s = loaded(&refs);
    assert_eq!(s.inbox.list.items.len(), 50);
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
    assert_eq!(
        s.inbox.list.items.len(),
        50,
        "a failed page keeps what is shown"
    );
    assert!(matches!(s.inbox.list.load, Load::Failed(_)));
    assert_eq!(s.inbox.list.next, Some(NextPage::More(Cursor::Offset(50))));
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
    let before = s.inbox.list.items.clone();
    update(
        &mut s,
        Action::ConversationsLoaded {
            request: RequestId(999),
            offset: 0,
            result: Ok(page(vec![conv("zzz", 0)], NextPage::End)),
        },
    );
    assert_eq!(s.inbox.list.items, before);
}

#[test]
fn the_selection_follows_its_conversation_when_rows_move() {
    let mut s = loaded(&["a", "b", "c"]);
    cmd(&mut s, Command::Down);
    assert_eq!(s.inbox.list.selected, Some(ConversationId("b".into())));
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
    let order: Vec<&str> = s.inbox.list.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(order, ["new", "c", "a", "b"]);
    assert_eq!(s.inbox.list.selected, Some(ConversationId("b".into())));
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
    let mut outbound = msg("x2", 0, Direction::Outbound);
    outbound.sent_at = t0();
    update(
        &mut s,
        Action::Peeked {
            request,
            conversation,
            result: Ok(CatchUp {
                messages: vec![inbound, outbound],
                complete: true,
                gaps: Vec::new(),
            }),
        },
    );
    assert_eq!(
        s.inbox.list.unread.get(&ConversationId("b".into())),
        Some(&1)
    );
}

#[test]
fn filtering_matches_names_numbers_previews_and_metadata() {
    let mut s = loaded(&["a", "b", "c"]);
    s.inbox.list.items[2].metadata = Metadata(json!({"assignee": "dana"}).as_object().cloned());
    cmd(&mut s, Command::Filter);
    for c in "dana".chars() {
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let rows = s.visible_rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        s.inbox.list.selected.as_ref(),
        Some(&s.inbox.list.items[rows[0]].id)
    );
    cmd(&mut s, Command::ClearFilter);
    assert_eq!(s.visible_rows().len(), 3);
}

/// A later page that brings no conversation the list lacks ends the list: a server that ignores
/// the page number and sends no counts repeats its first page, and would be asked forever.
#[test]
fn a_page_of_nothing_new_ends_the_list() {
    let ids: Vec<String> = (0..50).map(|i| format!("c{i:02}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut s = loaded(&refs);
    let loads = cmd(&mut s, Command::Bottom);
    let (request, offset) = list_request(&loads);
    assert_eq!(offset, 50);
    let again = page(
        (0..25)
            .map(|i| conv(&ids[i], i64::try_from(i).unwrap() + 1))
            .collect(),
        NextPage::More(Cursor::Offset(75)),
    );
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(again),
        },
    );
    assert_eq!(s.inbox.list.next, Some(NextPage::End));
    let more = cmd(&mut s, Command::Bottom);
    assert!(
        !more
            .iter()
            .any(|e| matches!(e, Effect::LoadConversations { .. })),
        "no further page is asked for"
    );
}

/// A page that lists a new conversation twice (a server joining rows) shows it once; the list
/// merge property found the doubled row.
#[test]
fn a_conversation_listed_twice_in_one_page_is_one_row() {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    let (request, offset) = list_request(&effects);
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(
                vec![conv("a", 1), conv("b", 2), conv("a", 1)],
                NextPage::End,
            )),
        },
    );
    let order: Vec<&str> = s.inbox.list.items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(order, ["a", "b"]);
    assert_eq!(s.inbox.list.positions.len(), 2);
}

/// Issue 15 (friction): the filter covers loaded rows only. `G` while filtering loads every page
/// (one at a time, until the end) so the filter sees the whole list; clearing it stops that;
/// `s` searches the cache for the same text.
#[test]
fn g_while_filtering_loads_every_page_and_s_searches_the_filter_text() {
    let mut s = loaded(&["a", "b"]);
    // The short list asked for its next page at once; the filter is typed while it is out.
    let Load::Loading(pending) = s.inbox.list.load.clone() else {
        panic!("a short list loads its next page");
    };
    cmd(&mut s, Command::Filter);
    type_text(&mut s, "person");
    cmd(&mut s, Command::Accept);
    let after = update(
        &mut s,
        Action::ConversationsLoaded {
            request: pending,
            offset: 2,
            result: Ok(page(vec![conv("c", 30)], NextPage::More(Cursor::Offset(3)))),
        },
    );
    let loads = |effects: &[Effect]| {
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadConversations { .. }))
    };
    assert!(!loads(&after), "a filtered list does not page by itself");
    assert!(!loads(&cmd(&mut s, Command::Down)));
    let (request, offset) = list_request(&cmd(&mut s, Command::Bottom));
    assert_eq!(offset, 3, "G loads the rest");
    let last = update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(vec![conv("d", 40)], NextPage::End)),
        },
    );
    assert!(!loads(&last), "until the end");
    assert_eq!(s.visible_rows().len(), 4, "the filter sees every page");
    let effects = cmd(&mut s, Command::Search);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Search { query, .. }] if query == "person"
    ));
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::ClearFilter);
    assert!(
        !s.inbox.list.load_all,
        "clearing the filter ends 'load all'"
    );
}
