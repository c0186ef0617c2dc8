//! The metadata editor: validation as you type, the conflict check before saving, failed saves keeping the edit.

use super::*;

#[test]
fn metadata_text_is_validated_as_you_type() {
    use super::super::parse_metadata;
    assert_eq!(parse_metadata("  "), Ok(Metadata(None)));
    assert!(parse_metadata(r#"{"a": 1}"#).unwrap().0.is_some());
    let err = parse_metadata("{\n  \"a\": 1,\n}").unwrap_err();
    assert_eq!((err.line, err.column), (3, 1));
    let err = parse_metadata("[1, 2]").unwrap_err();
    assert!(err.message.contains("JSON object"));
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
        s.inbox.editor.as_ref().unwrap().phase,
        EditorPhase::Conflict { .. }
    ));
    // Reload takes the server's version.
    cmd(&mut s, Command::Reload);
    let editor = s.inbox.editor.as_ref().unwrap();
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
    assert!(s.inbox.editor.as_ref().unwrap().parsed.is_err());
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
    let editor = s.inbox.editor.as_ref().unwrap();
    assert!(editor.error.is_some());
    assert!(editor.is_dirty(), "the edit is still there");
    // Leaving with unsaved changes asks first.
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.overlay, Some(Overlay::ConfirmDiscard));
}

#[test]
fn pasted_control_characters_never_reach_the_editor() {
    let mut s = loaded(&["c"]);
    cmd(&mut s, Command::EditMetadata);
    update(
        &mut s,
        Action::Paste("\x1b]52;c;eA==\x07{\u{202e}}\r\n".into()),
    );
    let text = s.inbox.editor.as_ref().unwrap().text.lines().join("\n");
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' || crate::text::is_bidi_control(c)),
        "{text:?}"
    );
}

/// Closing the editor goes back to the pane it was opened from: opened from the list while
/// another thread is open, the next `e` edits the same conversation, not the open thread's.
#[test]
fn closing_the_editor_returns_to_where_it_was_opened() {
    let mut s = opened(msgs(0, 5));
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.focus, Focus::List);
    cmd(&mut s, Command::Down);
    let chosen = s.inbox.list.selected.clone().unwrap();
    assert_ne!(
        Some(&chosen),
        s.inbox.open.as_ref(),
        "another row than the open thread"
    );
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.inbox.editor.as_ref().unwrap().conversation, chosen);
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.focus, Focus::List, "back where it was opened");
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(
        s.inbox.editor.as_ref().unwrap().conversation,
        chosen,
        "the same conversation again"
    );
    // Opened from the thread, it goes back to the thread.
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Open);
    cmd(&mut s, Command::EditMetadata);
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.focus, Focus::Thread);
}

/// The screen as text.
fn screen_text(s: &AppState) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        s.chrome.width,
        s.chrome.height,
    ))
    .unwrap();
    let mut view = crate::ui::ViewState::default();
    terminal
        .draw(|f| crate::ui::render(f, s, &mut view))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..s.chrome.height)
        .map(|y| {
            (0..s.chrome.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// In read-only mode the editor opens as a viewer and says so: no save offered, no "✓ saved".
/// Elsewhere "✓ saved" appears only after a save, never for an editor merely opened.
#[test]
fn a_read_only_editor_is_a_viewer_and_saved_means_saved() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut s = opened(msgs(0, 5));
        update(&mut s, Action::Resize { width, height });
        s.settings.read_only = true;
        cmd(&mut s, Command::EditMetadata);
        let screen = screen_text(&s);
        assert!(screen.contains("view only"), "{screen}");
        assert!(
            !screen.contains("ctrl-s") && !screen.contains("✓ saved"),
            "{screen}"
        );
    }
    let mut s = opened(msgs(0, 5));
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    cmd(&mut s, Command::EditMetadata);
    let screen = screen_text(&s);
    assert!(
        screen.contains("no changes") && !screen.contains("✓ saved"),
        "{screen}"
    );
    let mut s = editor_with_edit();
    update(
        &mut s,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    let effects = fetched_with(&mut s, &json!({"status": "open"}));
    let Some(Effect::SaveMetadata { request, .. }) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    let conversation = s.inbox.editor.as_ref().unwrap().conversation.clone();
    let mut row = s.conversation(&conversation).unwrap().clone();
    row.metadata = s.inbox.editor.as_ref().unwrap().parsed.clone().unwrap();
    let detail = ConversationDetail {
        conversation: row,
        messages: Vec::new(),
    };
    update(
        &mut s,
        Action::MetadataSaved {
            request,
            conversation,
            result: Ok(detail),
        },
    );
    assert!(screen_text(&s).contains("✓ saved"));
}

fn key(s: &mut AppState, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, modifiers)))
}

fn ctrl(s: &mut AppState, c: char) -> Vec<Effect> {
    key(s, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn meta(value: &serde_json::Value) -> Metadata {
    Metadata(value.as_object().cloned())
}

/// The metadata the conflict test starts from: twelve plain keys, a nested customer, an
/// assignee and a status.
fn many_keys(assignee: &str, tier: &str, status: &str, plain: &str) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for n in 1..=12 {
        map.insert(format!("k{n:02}"), json!(plain));
    }
    map.insert("assignee".into(), json!(assignee));
    map.insert("customer".into(), json!({"name": "Chloé", "tier": tier}));
    map.insert("status".into(), json!(status));
    serde_json::Value::Object(map)
}

/// The last line of the screen: the status bar.
fn status_bar(screen: &str) -> &str {
    screen.lines().last().unwrap_or_default()
}

/// Issue 15, item 3: the conflict dialog shows the difference key by key (nested keys by path,
/// yours and the server's values, whose edit), scrolls, and the status bar and the dialog give
/// the dialog's own keys, not y/n and not a stale "Nothing to save".
#[test]
fn the_conflict_dialog_shows_the_difference_key_by_key_and_scrolls() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut s = loaded(&["c"]);
        update(&mut s, Action::Resize { width, height });
        s.inbox.list.items[0].metadata = meta(&many_keys("dana", "gold", "open", "v"));
        cmd(&mut s, Command::EditMetadata);
        // A save with nothing changed leaves its notice behind.
        ctrl(&mut s, 's');
        assert!(
            s.chrome
                .notice
                .as_ref()
                .unwrap()
                .text
                .contains("Nothing to save")
        );
        let mut yours = many_keys("dana", "gold", "done", "yours");
        yours["zz_note"] = json!("call back Tuesday");
        s.inbox.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
        type_text(&mut s, &yours.to_string());
        fetched_with(&mut s, &many_keys("lee", "platinum", "open", "v"));

        let screen = screen_text(&s);
        for shown in [
            "customer.tier",
            "\"gold\"",
            "\"platinum\"",
            "changed by them",
            "~ assignee",
        ] {
            assert!(
                screen.contains(shown),
                "{shown} at {width}x{height}:\n{screen}"
            );
        }
        let bar = status_bar(&screen);
        assert!(
            bar.contains("o overwrite")
                && !bar.contains("y yes")
                && !screen.contains("Nothing to save"),
            "{bar}"
        );
        assert!(screen.contains("esc keep editing"), "{screen}");
        // The last difference (alphabetically) is below the fold until scrolled to.
        assert!(!screen.contains("+ zz_note"), "{screen}");
        key(&mut s, KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(s.inbox.editor.as_ref().unwrap().diff_scroll, 1);
        key(&mut s, KeyCode::Char('G'), KeyModifiers::SHIFT);
        let screen = screen_text(&s);
        assert!(
            screen.contains("+ zz_note") && screen.contains("\"call back Tuesday\""),
            "{width}x{height}:\n{screen}"
        );
        key(&mut s, KeyCode::PageUp, KeyModifiers::NONE);
        key(&mut s, KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(s.inbox.editor.as_ref().unwrap().diff_scroll, 0);
        // The wheel scrolls the dialog too; a click behind it changes nothing.
        s.settings.mouse = true;
        let wheel = |kind| {
            Action::Mouse(ratatui::crossterm::event::MouseEvent {
                kind,
                column: 1,
                row: 3,
                modifiers: KeyModifiers::NONE,
            })
        };
        update(
            &mut s,
            wheel(ratatui::crossterm::event::MouseEventKind::ScrollDown),
        );
        assert_eq!(s.inbox.editor.as_ref().unwrap().diff_scroll, 3);
        update(
            &mut s,
            wheel(ratatui::crossterm::event::MouseEventKind::Down(
                ratatui::crossterm::event::MouseButton::Left,
            )),
        );
        assert!(s.inbox.editor.as_ref().unwrap().phase.is_dialog());
        key(&mut s, KeyCode::Char('g'), KeyModifiers::NONE);
        // esc keeps editing: the edit is intact and the banner says the server changed.
        key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
        let editor = s.inbox.editor.as_ref().unwrap();
        assert_eq!(editor.phase, EditorPhase::Editing);
        assert_eq!(editor.parsed.as_ref().unwrap(), &meta(&yours));
        assert!(screen_text(&s).contains("changed on the server"));
    }
}

/// Overwriting from the difference opened with ctrl-d saves against the copy shown: the save's
/// check passes when the server still has it, and stops again when it moved on.
#[test]
fn overwrite_from_the_difference_checks_against_the_copy_shown() {
    let mut s = editor_with_edit();
    poll_with(&mut s, &json!({"status": "open", "assignee": "lee"}));
    assert!(s.inbox.editor.as_ref().unwrap().newer.is_some());
    // Changed back: the banner goes; changed again: it is back.
    poll_with(&mut s, &json!({"status": "open"}));
    assert!(s.inbox.editor.as_ref().unwrap().newer.is_none());
    poll_with(&mut s, &json!({"status": "open", "assignee": "lee"}));
    assert!(s.inbox.editor.as_ref().unwrap().newer.is_some());
    ctrl(&mut s, 'd');
    assert_eq!(
        s.inbox.editor.as_ref().unwrap().phase,
        EditorPhase::Comparing { reload: false }
    );
    let effects = key(&mut s, KeyCode::Char('o'), KeyModifiers::NONE);
    let Some(Effect::FetchConversation {
        request,
        conversation,
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    let mut fresh = conv("c", 0);
    fresh.metadata = meta(&json!({"status": "open", "assignee": "lee"}));
    let effects = update(
        &mut s,
        Action::ConversationFetched {
            request,
            conversation,
            result: Ok(ConversationDetail {
                conversation: fresh,
                messages: Vec::new(),
            }),
        },
    );
    let Some(Effect::SaveMetadata { metadata, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(metadata, &meta(&json!({"status": "done"})));
}

/// Answers the next list poll with conversation `c` carrying `metadata`.
fn poll_with(s: &mut AppState, metadata: &serde_json::Value) -> Vec<Effect> {
    s.sync.list.due = Some(s.now);
    let effects = update(s, Action::Tick { now: t0() });
    let (request, _) = list_request(&effects);
    answer_poll(s, request, metadata)
}

fn answer_poll(s: &mut AppState, request: RequestId, metadata: &serde_json::Value) -> Vec<Effect> {
    let mut row = s.conversation(&ConversationId("c".into())).unwrap().clone();
    row.metadata = meta(metadata);
    update(
        s,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(page(vec![row], NextPage::End)),
        },
    )
}

fn editor_text(s: &AppState) -> String {
    s.inbox.editor.as_ref().unwrap().text.lines().join("\n")
}

/// Issue 15, item 4: an untouched editor follows the server's copy with a notice, and never says
/// "✓ saved" for what it did not save.
#[test]
fn an_untouched_editor_follows_the_server_with_a_notice() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut s = loaded(&["c"]);
        update(&mut s, Action::Resize { width, height });
        s.inbox.list.items[0].metadata = meta(&json!({"assignee": "dana"}));
        cmd(&mut s, Command::EditMetadata);
        poll_with(&mut s, &json!({"assignee": "lee"}));
        let editor = s.inbox.editor.as_ref().unwrap();
        assert!(editor_text(&s).contains("lee"), "{}", editor_text(&s));
        assert!(!editor.is_dirty() && editor.newer.is_none());
        let notice = &s.chrome.notice.as_ref().unwrap().text;
        assert!(notice.contains("changed on the server"), "{notice}");
        let screen = screen_text(&s);
        assert!(
            screen.contains("lee") && !screen.contains("dana"),
            "{screen}"
        );
        assert!(!screen.contains("✓ saved"), "{screen}");
    }
}

/// Issue 15, item 4: an edited editor keeps the edit and shows the banner; `ctrl-d` shows the
/// difference; `ctrl-r` asks by showing what would be lost, and `r` reloads.
#[test]
fn an_edited_editor_keeps_the_edit_under_a_banner_and_reloads_on_request() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut s = editor_with_edit();
        update(&mut s, Action::Resize { width, height });
        poll_with(&mut s, &json!({"status": "open", "assignee": "lee"}));
        assert_eq!(editor_text(&s), r#"{"status": "done"}"#, "the edit is kept");
        let screen = screen_text(&s);
        // The banner may wrap in a narrow pane; each part is there.
        for part in ["⚠ changed on the server", "ctrl-r reload", "ctrl-d diff"] {
            assert!(
                screen.contains(part),
                "{part} at {width}x{height}:\n{screen}"
            );
        }
        ctrl(&mut s, 'd');
        let screen = screen_text(&s);
        assert!(
            screen.contains("- assignee")
                && screen.contains("\"lee\"")
                && screen.contains("~ status"),
            "{screen}"
        );
        key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(editor_text(&s), r#"{"status": "done"}"#);
        // ctrl-r over an edit shows what would be lost; r confirms.
        ctrl(&mut s, 'r');
        assert_eq!(
            s.inbox.editor.as_ref().unwrap().phase,
            EditorPhase::Comparing { reload: true }
        );
        assert!(screen_text(&s).contains("Your edit is dropped"));
        key(&mut s, KeyCode::Char('r'), KeyModifiers::NONE);
        let editor = s.inbox.editor.as_ref().unwrap();
        assert_eq!(
            editor.base,
            meta(&json!({"status": "open", "assignee": "lee"}))
        );
        assert!(!editor.is_dirty() && editor.newer.is_none());
        assert!(editor_text(&s).contains("lee"));
    }
}

/// An answer to a request sent before the editor knew its copy is no news: a poll from before
/// the editor opened, or from before a save, never reloads an older copy over a newer one.
#[test]
fn answers_older_than_the_editors_copy_are_no_news() {
    let mut s = loaded(&["c"]);
    s.inbox.list.items[0].metadata = meta(&json!({"assignee": "dana"}));
    s.sync.list.due = Some(s.now);
    let early = list_request(&update(&mut s, Action::Tick { now: t0() })).0;
    cmd(&mut s, Command::EditMetadata);
    answer_poll(&mut s, early, &json!({"assignee": "old"}));
    assert!(editor_text(&s).contains("dana"));

    // Saved "done"; a poll sent before the save's answer still carries "open".
    let mut s = editor_with_edit();
    s.sync.list.due = Some(s.now);
    let before_save = list_request(&update(&mut s, Action::Tick { now: t0() })).0;
    let effects = fetched_with(&mut s, &json!({"status": "open"}));
    let Some(Effect::SaveMetadata {
        request,
        conversation,
        metadata,
    }) = effects.first().cloned()
    else {
        panic!("{effects:?}")
    };
    let mut row = conv("c", 0);
    row.metadata = metadata;
    update(
        &mut s,
        Action::MetadataSaved {
            request,
            conversation,
            result: Ok(ConversationDetail {
                conversation: row,
                messages: Vec::new(),
            }),
        },
    );
    answer_poll(&mut s, before_save, &json!({"status": "open"}));
    let editor = s.inbox.editor.as_ref().unwrap();
    assert_eq!(editor.base, meta(&json!({"status": "done"})));
    assert!(editor.saved && editor.newer.is_none());
}

/// Text out in `$EDITOR` counts as an edit: a server change waits under the banner instead of
/// replacing the text the external editor will hand back.
#[test]
fn text_out_in_the_external_editor_is_not_reloaded_under_it() {
    let mut s = loaded(&["c"]);
    s.inbox.list.items[0].metadata = meta(&json!({"assignee": "dana"}));
    cmd(&mut s, Command::EditMetadata);
    cmd(&mut s, Command::ExternalEditor);
    poll_with(&mut s, &json!({"assignee": "lee"}));
    let editor = s.inbox.editor.as_ref().unwrap();
    assert!(editor_text(&s).contains("dana"));
    assert_eq!(editor.newer, Some(meta(&json!({"assignee": "lee"}))));
}
