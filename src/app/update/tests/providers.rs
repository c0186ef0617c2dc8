//! What the provider allows decides what the UI offers: server-side list filters (Anyreach), no
//! calls list, replies and metadata edits refused with the provider's reason.

use super::*;
use crate::api::ListFilter;

fn filter_of(effects: &[Effect]) -> (RequestId, ListFilter) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadConversations {
                request, filter, ..
            } => Some((*request, filter.clone())),
            _ => None,
        })
        .expect("a list load")
}

#[test]
fn anyreach_list_filters_reload_the_list_and_drop_replies_to_old_filters() {
    let mut s = loaded(&["a", "b", "c"]);
    s.capabilities.filters = crate::api::FilterSet::Anyreach;
    let (old, filter) = filter_of(&cmd(&mut s, Command::StatusFilter));
    assert_eq!(filter.status.as_deref(), Some("in_progress"));
    assert!(s.inbox.list.items.is_empty(), "rows of the old filters go");
    let (request, filter) = filter_of(&cmd(&mut s, Command::ChannelFilter));
    assert_eq!(
        (filter.status.as_deref(), filter.channel.as_deref()),
        (Some("in_progress"), Some("telephone"))
    );
    update(
        &mut s,
        Action::ConversationsLoaded {
            request: old,
            offset: 0,
            result: Ok(page(vec![conv("stale", 1)], NextPage::End)),
        },
    );
    assert!(
        s.inbox.list.items.is_empty(),
        "a reply to the old filters is dropped"
    );
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![conv("x", 1)], NextPage::End)),
        },
    );
    assert_eq!(s.inbox.list.items.len(), 1);
    // The date filter: the last day, week, month, then any time again.
    let (_, filter) = filter_of(&cmd(&mut s, Command::DateFilter));
    assert_eq!(filter.created_after, Some(t0() - TimeDelta::days(1)));
    for _ in 0..3 {
        cmd(&mut s, Command::DateFilter);
    }
    assert_eq!(s.inbox.list.server_filter.created_after, None);
    assert_eq!(
        crate::app::update::list_filters::describe(&s).as_deref(),
        Some("in_progress · telephone")
    );
}

#[test]
fn without_server_filters_the_keys_explain_instead_of_reloading() {
    let mut s = loaded(&["a", "b"]);
    assert!(cmd(&mut s, Command::StatusFilter).is_empty());
    assert_eq!(s.inbox.list.items.len(), 2);
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no such server filter")
    );
}

#[test]
fn a_provider_without_calls_says_so_on_c() {
    let mut s = loaded(&["a"]);
    s.capabilities.calls = false;
    assert!(cmd(&mut s, Command::Calls).is_empty());
    assert_eq!(s.chrome.view, crate::app::state::View::Conversations);
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("calls are the conversations")
    );
}

#[test]
fn capabilities_turn_replies_and_metadata_edits_off_with_the_reason() {
    let mut s = loaded(&["a"]);
    let caps = &mut s.inbox.list.items[0].capabilities;
    caps.can_send = false;
    caps.send_disabled_reason = Some("no human replies here".into());
    caps.edit_metadata = false;
    assert!(
        cmd(&mut s, Command::Reply)
            .iter()
            .all(|e| !matches!(e, Effect::SendMessage { .. }))
    );
    assert_eq!(
        s.chrome.focus,
        Focus::Thread,
        "the thread opens, the reply box does not"
    );
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no human replies here")
    );
    assert!(cmd(&mut s, Command::EditMetadata).is_empty());
    assert!(s.inbox.editor.is_none());
}

#[test]
fn chatwoot_tabs_status_inbox_and_label_filters_reload_and_counts_follow_the_list() {
    use crate::api::TabCounts;
    use crate::api::desk::DeskFacts;
    let mut s = loaded(&["a", "b"]);
    s.capabilities.filters = crate::api::FilterSet::Chatwoot;
    for (i, c) in s.inbox.list.items.iter_mut().enumerate() {
        c.desk = Some(Box::new(DeskFacts {
            status: "open".into(),
            inbox_id: Some(u64::try_from(i).unwrap() + 1),
            labels: vec![format!("label{i}")],
            ..DeskFacts::default()
        }));
    }
    let (old, filter) = filter_of(&cmd(&mut s, Command::TabNext));
    assert_eq!(filter.assignee.as_deref(), Some("me"));
    let counts = TabCounts {
        mine: 3,
        unassigned: 1,
        assigned: 5,
        all: 6,
    };
    // Counts that came with a page of the old filters are dropped; the current ones are kept.
    let (request, filter) = filter_of(&cmd(&mut s, Command::StatusFilter));
    assert_eq!(filter.status.as_deref(), Some("pending"));
    update(
        &mut s,
        Action::CountsLoaded {
            request: old,
            counts,
        },
    );
    assert_eq!(s.inbox.list.counts, None);
    update(&mut s, Action::CountsLoaded { request, counts });
    assert_eq!(s.inbox.list.counts, Some(counts));
    // Inboxes and labels cycle through what was seen, then back to all.
    let (_, filter) = filter_of(&cmd(&mut s, Command::InboxFilter));
    assert_eq!(filter.inbox, Some(1));
    let (_, filter) = filter_of(&cmd(&mut s, Command::InboxFilter));
    assert_eq!(filter.inbox, Some(2));
    let (_, filter) = filter_of(&cmd(&mut s, Command::InboxFilter));
    assert_eq!(filter.inbox, None);
    let (_, filter) = filter_of(&cmd(&mut s, Command::LabelFilter));
    assert_eq!(filter.label.as_deref(), Some("label0"));
    // Anyreach's keys mean nothing here: they say so and reload nothing.
    assert!(cmd(&mut s, Command::DateFilter).is_empty());
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no such server filter")
    );
}

#[test]
fn triage_actions_are_offered_only_for_desk_conversations_and_never_in_read_only() {
    use crate::api::desk::{DeskAction, DeskFacts};
    use crate::app::state::Overlay;
    let mut s = loaded(&["a"]);
    assert!(cmd(&mut s, Command::Actions).is_empty());
    assert!(s.chrome.overlay.is_none());
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no triage actions")
    );
    s.inbox.list.items[0].desk = Some(Box::new(DeskFacts {
        status: "pending".into(),
        labels: vec!["vip".into()],
        ..DeskFacts::default()
    }));
    cmd(&mut s, Command::Actions);
    let Some(Overlay::Actions { items, .. }) = s.chrome.overlay.clone() else {
        panic!("menu");
    };
    let labels: Vec<&str> = items.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        &labels[..2],
        ["Resolve", "Reopen"],
        "pending: no 'mark pending'"
    );
    assert!(labels.contains(&"Label: remove #vip"));
    // Enter sends the first action once; the menu closes.
    let effects = cmd(&mut s, Command::Open);
    assert!(matches!(
        &effects[..],
        [Effect::DeskAction { action: DeskAction::Status { status, .. }, .. }] if status == "resolved"
    ));
    assert!(s.chrome.overlay.is_none());
    s.settings.read_only = true;
    assert!(cmd(&mut s, Command::Actions).is_empty());
    assert!(s.chrome.overlay.is_none());
}
