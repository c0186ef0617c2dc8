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
