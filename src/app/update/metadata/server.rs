//! The editor and the server's copy: following changes made elsewhere while the editor is open,
//! and the difference dialog (a save's conflict, `ctrl-d`, or `ctrl-r` over an edit).
//!
//! A newer server copy arrives with list pages and polls, desk actions and conversation fetches
//! (routed here by `update`). An untouched editor takes it with a notice; an edited one keeps the
//! edit and shows a banner, never losing a keystroke without the user's say.

use super::super::status;
use super::{READ_ONLY_EDIT, save, text_area};
use crate::api::{ConversationId, Metadata};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, EditorPhase, MetadataEditor};
use crate::app::view::metadata_diff;
use crate::keymap::Mode;
use crate::text::sanitize_line;

/// The server's copy of `conversation`'s metadata, from the answer to `request`.
pub fn copy(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    copy: Option<Metadata>,
) -> Vec<Effect> {
    let Some(metadata) = copy else {
        return Vec::new();
    };
    let Some(editor) = state
        .inbox
        .editor
        .as_mut()
        .filter(|e| &e.conversation == conversation)
    else {
        return Vec::new();
    };
    // A save in flight settles this itself (its check, its answer); an older answer is no news.
    if matches!(
        editor.phase,
        EditorPhase::Checking(_) | EditorPhase::Saving(_)
    ) || request <= editor.seen
    {
        return Vec::new();
    }
    editor.seen = request;
    if let EditorPhase::Conflict { server } = &mut editor.phase {
        // The dialog shows what an overwrite would replace: the newest copy.
        server.clone_from(&metadata);
        editor.newer = Some(metadata);
        return Vec::new();
    }
    if &metadata == editor.server() {
        return Vec::new();
    }
    let name = name(state, conversation);
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if editor.keeps_edit() {
        let first = editor.newer.is_none();
        // Changed back to what the edit started from: no banner.
        editor.newer = (metadata != editor.base).then_some(metadata);
        if first {
            let text = format!(
                "The metadata of {name} changed on the server; your edit is kept ({} diff · {} reload)",
                key(state, Mode::Editor, Command::Diff),
                key(state, Mode::Editor, Command::Reload),
            );
            status::notify(state, &text, true);
        }
    } else {
        take(editor, metadata);
        let text = format!("The metadata of {name} changed on the server: the editor shows it now");
        status::notify(state, &text, false);
    }
    Vec::new()
}

fn name(state: &AppState, conversation: &ConversationId) -> String {
    let name = state
        .conversation(conversation)
        .map_or_else(|| conversation.to_string(), |c| state.display_name(c));
    sanitize_line(&name)
}

fn key(state: &AppState, mode: Mode, command: Command) -> String {
    state.keymap.first_key(mode, command).unwrap_or_default()
}

/// The editor takes `metadata` as its text and as what the edit starts from.
fn take(editor: &mut MetadataEditor, metadata: Metadata) {
    editor.text = text_area(&metadata);
    editor.parsed = Ok(metadata.clone());
    editor.base = metadata;
    editor.newer = None;
    editor.error = None;
    editor.saved = false;
    editor.reloaded = true;
    editor.phase = EditorPhase::Editing;
}

/// Opens the difference dialog: yours against the server's copy as last seen (`reload`: as
/// the question before a reload that drops the edit).
pub fn compare(state: &mut AppState, reload: bool) -> Vec<Effect> {
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if editor.phase != EditorPhase::Editing {
        return Vec::new();
    }
    if let Err(e) = &editor.parsed {
        let text = format!(
            "Fix the JSON first to compare (line {}, column {}): {}",
            e.line, e.column, e.message
        );
        status::notify(state, &text, true);
        return Vec::new();
    }
    editor.phase = EditorPhase::Comparing { reload };
    editor.diff_scroll = 0;
    status::clear(state);
    Vec::new()
}

/// `ctrl-r` in the editor: take the server's copy at once when no edit would be lost, else show
/// what would be lost and let `r` confirm.
pub fn reload_asked(state: &mut AppState) -> Vec<Effect> {
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    if editor.phase != EditorPhase::Editing {
        return Vec::new();
    }
    if editor.keeps_edit() && editor.parsed.is_ok() {
        return compare(state, true);
    }
    if editor.keeps_edit() {
        // Not valid JSON, so no difference to show: the question is a plain one.
        state.chrome.overlay = Some(crate::app::state::Overlay::ConfirmReload);
        return Vec::new();
    }
    reload(state);
    Vec::new()
}

/// Takes the server's copy as last seen (dropping any edit: the caller asked first), and polls
/// for a newer one.
pub fn reload(state: &mut AppState) {
    let Some(editor) = state.inbox.editor.as_mut() else {
        return;
    };
    let server = editor.server().clone();
    take(editor, server);
    // "Poll now": the list's next answer brings any newer copy.
    state.sync.list.due = Some(state.now);
    status::notify(state, "Reloaded the server's copy of the metadata", false);
}

/// Keys of the difference dialog: scroll, overwrite, reload, or back to editing.
pub fn dialog_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let area = ratatui::layout::Rect::new(0, 0, state.chrome.width, state.chrome.height);
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    let (room, page) =
        metadata_diff::dialog(editor, area).map_or((0, 0), |d| (d.max_scroll(), d.body_height));
    let scroll = &mut editor.diff_scroll;
    match command {
        Command::Down => *scroll = (*scroll + 1).min(room),
        Command::Up => *scroll = scroll.saturating_sub(1),
        Command::PageDown => *scroll = (*scroll + page.max(1)).min(room),
        Command::PageUp => *scroll = scroll.saturating_sub(page.max(1)),
        Command::Top => *scroll = 0,
        Command::Bottom => *scroll = room,
        Command::Overwrite | Command::Yes => return overwrite(state),
        Command::Reload => {
            let Some(server) = editor.theirs().cloned() else {
                return Vec::new();
            };
            take(editor, server);
            status::notify(
                state,
                "Reloaded the server's copy; your edit was dropped",
                false,
            );
        }
        Command::Back | Command::No => {
            if let EditorPhase::Conflict { server } = &editor.phase
                && server != &editor.base
            {
                // The banner stays until the edit is saved or reloaded.
                editor.newer = Some(server.clone());
            }
            editor.phase = EditorPhase::Editing;
        }
        _ => {}
    }
    Vec::new()
}

/// Saves yours over the server's copy shown: at once after a save's conflict (the copy was just
/// read), else through the usual check against the copy the dialog showed.
fn overwrite(state: &mut AppState) -> Vec<Effect> {
    if state.settings.read_only {
        status::notify(state, READ_ONLY_EDIT, true);
        return Vec::new();
    }
    let request = state.request_id();
    let Some(editor) = state.inbox.editor.as_mut() else {
        return Vec::new();
    };
    let Ok(metadata) = editor.parsed.clone() else {
        editor.phase = EditorPhase::Editing;
        return Vec::new();
    };
    match editor.phase.clone() {
        EditorPhase::Conflict { .. } => {
            editor.phase = EditorPhase::Saving(request);
            vec![Effect::SaveMetadata {
                request,
                conversation: editor.conversation.clone(),
                metadata,
            }]
        }
        EditorPhase::Comparing { .. } => {
            // What the user saw is what the save may replace; a change since still stops it.
            if let Some(newer) = editor.newer.take() {
                editor.base = newer;
            }
            editor.phase = EditorPhase::Editing;
            save(state)
        }
        _ => Vec::new(),
    }
}
