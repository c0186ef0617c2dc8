//! The scripted user: browses the busiest conversations, scrolls, resizes the terminal, replies
//! and edits metadata. Replies and edits also come on a fixed beat, so even a short run makes
//! enough of them to mean something.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::Metadata;
use crate::app::action::{Action, Command};
use crate::app::headless::Headless;
use crate::app::state::Focus;
use crate::rng::Rng;

/// Every this many turns the user replies, whatever the dice say.
const REPLY_EVERY: u64 = 3;
/// Every this many turns the user edits metadata.
const EDIT_EVERY: u64 = 7;
/// Screen sizes the user switches between: wide (metadata pane), popup, one pane at a time.
pub const SIZES: [(u16, u16); 4] = [(140, 40), (120, 30), (100, 30), (80, 24)];

pub struct User {
    rng: Rng,
    turn: u64,
    /// The text of every reply typed and sent (each is unique).
    pub replies: Vec<String>,
    /// Times save was pressed in the metadata editor.
    pub save_presses: usize,
}

impl User {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: Rng::seeded(seed),
            turn: 0,
            replies: Vec::new(),
            save_presses: 0,
        }
    }

    pub fn act(&mut self, app: &mut Headless) {
        self.turn += 1;
        leave_boxes(app);
        if self.turn.is_multiple_of(REPLY_EVERY) {
            return self.reply(app);
        }
        if self.turn.is_multiple_of(EDIT_EVERY) {
            return self.edit_metadata(app);
        }
        match self.rng.below(100) {
            0..=24 => {
                let down = self.rng.chance(600);
                app.command(Command::Back);
                app.command(if down { Command::Down } else { Command::Up });
            }
            25..=39 => self.open_another(app),
            40..=58 => app.command(Command::PageUp),
            59..=65 => app.command(Command::Bottom),
            66..=73 => self.reply(app),
            74..=79 => self.edit_metadata(app),
            80..=83 => app.command(Command::Refresh),
            84..=87 => app.command(Command::Top),
            88..=90 => {
                let (width, height) = SIZES[self.rng.index(SIZES.len())];
                app.dispatch(Action::Resize { width, height });
            }
            _ => app.command(Command::PageDown),
        }
    }

    /// Opens one of the first dozen conversations of the list.
    fn open_another(&mut self, app: &mut Headless) {
        back_to_list(app);
        let steps = self.rng.below(12);
        app.command(Command::Top);
        for _ in 0..steps {
            app.command(Command::Down);
        }
        app.command(Command::Open);
    }

    /// Types a new reply and sends it, in a conversation whose box is free when one is found;
    /// in a locked box it only presses send (which must do nothing).
    fn reply(&mut self, app: &mut Headless) {
        for _ in 0..3 {
            if app.state.inbox.open.is_some() && !locked(app) {
                break;
            }
            self.open_another(app);
        }
        if app.state.inbox.open.is_none() {
            return;
        }
        app.command(Command::Reply);
        if app.state.chrome.focus != Focus::Compose {
            return;
        }
        if !locked(app) {
            let text = format!("soak reply {} {}", self.replies.len(), self.rng.next_u64());
            app.dispatch(Action::Paste(text.clone()));
            self.replies.push(text);
        }
        app.command(Command::Send);
        app.command(Command::Back);
    }

    /// Adds a member to the open conversation's metadata and saves.
    fn edit_metadata(&mut self, app: &mut Headless) {
        app.command(Command::EditMetadata);
        if app.state.chrome.focus != Focus::Editor {
            return;
        }
        let value = self.rng.below(1_000);
        let blank = app
            .state
            .inbox
            .editor
            .as_ref()
            .is_some_and(|e| e.parsed == Ok(Metadata(None)));
        if blank {
            app.dispatch(Action::Paste(format!("{{\"soak\": {value}}}")));
        } else {
            // The cursor is at the start of "{": move past it and insert a first member.
            app.dispatch(Action::Key(KeyEvent::new(
                KeyCode::Right,
                KeyModifiers::NONE,
            )));
            app.dispatch(Action::Paste(format!("\"soak{value}\": {value}, ")));
        }
        app.command(Command::Save);
        self.save_presses += 1;
    }
}

impl User {
    /// Presses save again in the open editor.
    pub fn save_again(&mut self, app: &mut Headless) {
        app.command(Command::Save);
        self.save_presses += 1;
    }
}

/// True when the open conversation's reply box is locked by a send.
fn locked(app: &Headless) -> bool {
    app.state
        .inbox
        .open
        .as_ref()
        .and_then(|id| app.state.inbox.drafts.get(id))
        .is_some_and(|d| d.sending.is_some())
}

/// Out of the reply box and the metadata editor (an unsaved edit is dropped).
fn leave_boxes(app: &mut Headless) {
    if app.state.chrome.overlay.is_some() {
        // Only the discard question can be open here: drop the edit and go on.
        app.command(Command::Yes);
    }
    if matches!(app.state.chrome.focus, Focus::Editor | Focus::Compose) {
        app.command(Command::Back);
        if app.state.chrome.overlay.is_some() {
            app.command(Command::Yes);
        }
    }
}

/// Back to the list, from a thread, a reply box or an editor (a few steps at most).
pub fn back_to_list(app: &mut Headless) {
    for _ in 0..6 {
        if app.state.chrome.focus == Focus::List {
            return;
        }
        // An unsaved metadata edit asks before it is dropped: drop it.
        let confirm = app.state.chrome.overlay.is_some();
        app.command(if confirm { Command::Yes } else { Command::Back });
    }
}
