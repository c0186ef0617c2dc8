//! Deliberately broken clients, to prove the soak fails when a client is wrong, and the watch
//! every soak's answers pass through (it counts what the app was told).
//!
//! A breakage sits where the provider's answers come back to the app (see
//! [`crate::app::headless::Tamper`]): it alters a page before `update` sees it, repeats a request,
//! or (for `Duplicate`) corrupts the thread right after `update` merged a page. The app itself is
//! untouched.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::api::{ApiError, ConversationId, Message, Metadata, NextPage};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::headless::{Tamper, Tampered};
use crate::app::paging::RequestId;
use crate::app::state::AppState;

/// Resends of one request a `ResendOnUnknown` client makes at most.
const MAX_RESENDS: u32 = 3;

/// A way a client can be wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Breakage {
    /// Drops the newest message of every thread page and poll.
    DropNewest,
    /// Drops the oldest message of the page that reaches a thread's beginning.
    DropFirst,
    /// Keeps a second copy of one message in every thread it merges a page into.
    Duplicate,
    /// Sends again by itself when a send's outcome is unknown.
    ResendOnUnknown,
    /// After its first failed answer, reports every later answer as a dropped connection.
    StayOffline,
    /// Cuts the last character off every message body it reads.
    ChangeBody,
    /// Reads no metadata from list pages.
    DropMetadata,
}

impl Breakage {
    /// Every breakage.
    pub const ALL: [Self; 7] = [
        Self::DropNewest,
        Self::DropFirst,
        Self::Duplicate,
        Self::ResendOnUnknown,
        Self::StayOffline,
        Self::ChangeBody,
        Self::DropMetadata,
    ];

    /// What the broken client does, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Self::DropNewest => "drops the newest message of each page",
            Self::DropFirst => "drops a thread's first message",
            Self::Duplicate => "keeps a message twice",
            Self::ResendOnUnknown => "sends again when the outcome is unknown",
            Self::StayOffline => "stays offline after its first failure",
            Self::ChangeBody => "cuts the last character off every body",
            Self::DropMetadata => "reads no metadata from list pages",
        }
    }
}

/// What the app was told, counted as the answers pass.
#[derive(Debug, Default)]
pub struct Tally {
    /// Bodies of replies the app was told were sent.
    pub confirmed: Vec<String>,
    pub saves_confirmed: usize,
    /// Answers from provider work that panicked.
    pub panics: u64,
}

/// The tamper every soak installs: counts, then applies the breakage (if any).
pub struct Watch {
    breakage: Option<Breakage>,
    tally: Arc<Mutex<Tally>>,
    resends: HashMap<RequestId, u32>,
    offline: bool,
    /// Threads that got a page and may need a duplicate (`Duplicate`).
    merged: Vec<ConversationId>,
}

impl Watch {
    pub fn new(breakage: Option<Breakage>) -> (Self, Arc<Mutex<Tally>>) {
        let tally = Arc::new(Mutex::new(Tally::default()));
        let watch = Self {
            breakage,
            tally: tally.clone(),
            resends: HashMap::new(),
            offline: false,
            merged: Vec::new(),
        };
        (watch, tally)
    }

    fn count(&self, action: &Action, started: &[Effect]) {
        let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        let panicked = |e: &ApiError| matches!(e, ApiError::Connection { message } if message == crate::app::runtime::PANICKED);
        if action.error().is_some_and(panicked) {
            tally.panics += 1;
        }
        match action {
            Action::MessageSent {
                request,
                result: Ok(_),
                ..
            } => tally.confirmed.extend(sent_body(started, *request)),
            Action::MetadataSaved { result: Ok(_), .. } => tally.saves_confirmed += 1,
            _ => {}
        }
    }

    /// A `ResendOnUnknown` client: repeats the send instead of answering.
    fn resend(&mut self, action: Action, started: &[Effect]) -> Tampered {
        let Action::MessageSent {
            request,
            result: Err(error),
            ..
        } = &action
        else {
            return Tampered::pass(action);
        };
        let resends = self.resends.entry(*request).or_default();
        let send = started
            .iter()
            .rev()
            .find(|e| matches!(e, Effect::SendMessage { request: r, .. } if r == request));
        match send {
            Some(send) if error.outcome_unknown() && *resends < MAX_RESENDS => {
                *resends += 1;
                Tampered {
                    actions: Vec::new(),
                    repeat: vec![send.clone()],
                }
            }
            _ => Tampered::pass(action),
        }
    }
}

impl Tamper for Watch {
    fn answer(&mut self, mut action: Action, started: &[Effect]) -> Tampered {
        self.count(&action, started);
        match self.breakage {
            None => {}
            Some(Breakage::DropNewest) => drop_newest(&mut action),
            Some(Breakage::DropFirst) => drop_first(&mut action),
            Some(Breakage::Duplicate) => {
                if let Action::ThreadLoaded { conversation, .. }
                | Action::ThreadPolled { conversation, .. } = &action
                {
                    self.merged.push(conversation.clone());
                }
            }
            Some(Breakage::ResendOnUnknown) => return self.resend(action, started),
            Some(Breakage::StayOffline) => stay_offline(&mut action, &mut self.offline),
            Some(Breakage::ChangeBody) => change_body(&mut action),
            Some(Breakage::DropMetadata) => drop_metadata(&mut action),
        }
        Tampered::pass(action)
    }

    fn after(&mut self, state: &mut AppState) {
        for id in self.merged.drain(..) {
            let Some(thread) = state.inbox.threads.get_mut(&id) else {
                continue;
            };
            if thread.messages.is_empty() || thread.messages.len() > thread.ids.len() {
                continue;
            }
            let copy = thread.messages[thread.messages.len() / 2].clone();
            thread.messages.insert(thread.messages.len() / 2, copy);
        }
    }
}

/// The body of the send `request`, from the effect that started it.
fn sent_body(started: &[Effect], request: RequestId) -> Option<String> {
    started.iter().rev().find_map(|e| match e {
        Effect::SendMessage {
            request: r,
            message,
            ..
        } if *r == request => Some(message.body.clone()),
        _ => None,
    })
}

fn remove_newest(messages: &mut Vec<Message>) {
    let newest =
        (0..messages.len()).max_by(|&a, &b| messages[a].order_key().cmp(&messages[b].order_key()));
    if let Some(i) = newest {
        messages.remove(i);
    }
}

fn drop_newest(action: &mut Action) {
    if let Some(messages) = thread_messages(action) {
        remove_newest(messages);
    }
}

fn drop_first(action: &mut Action) {
    let Action::ThreadLoaded {
        result: Ok(page), ..
    } = action
    else {
        return;
    };
    if page.next != NextPage::End {
        return;
    }
    let oldest = (0..page.items.len())
        .min_by(|&a, &b| page.items[a].order_key().cmp(&page.items[b].order_key()));
    if let Some(i) = oldest {
        page.items.remove(i);
    }
}

/// The messages of a thread page or poll, if the answer is one.
fn thread_messages(action: &mut Action) -> Option<&mut Vec<Message>> {
    match action {
        Action::ThreadLoaded {
            result: Ok(page), ..
        } => Some(&mut page.items),
        Action::ThreadPolled {
            result: Ok(catch_up),
            ..
        } => Some(&mut catch_up.messages),
        _ => None,
    }
}

fn change_body(action: &mut Action) {
    for message in thread_messages(action).into_iter().flatten() {
        message.body.pop();
    }
}

fn drop_metadata(action: &mut Action) {
    if let Action::ConversationsLoaded {
        result: Ok(page), ..
    } = action
    {
        for conversation in &mut page.items {
            conversation.metadata = Metadata(None);
        }
    }
}

/// A `StayOffline` client: once anything failed, every answer is a dropped connection.
fn stay_offline(action: &mut Action, offline: &mut bool) {
    if action.error().is_some() {
        *offline = true;
        return;
    }
    if !*offline {
        return;
    }
    match action {
        Action::ConversationsLoaded { result, .. } => cut(result),
        Action::ContactsLoaded { result } => cut(result),
        Action::ThreadLoaded { result, .. } => cut(result),
        Action::ThreadPolled { result, .. }
        | Action::Peeked { result, .. }
        | Action::SendChecked { result, .. } => cut(result),
        Action::ConversationFetched { result, .. } | Action::MetadataSaved { result, .. } => {
            cut(result);
        }
        Action::MessageSent { result, .. } => cut(result),
        Action::TypingSent { result } => cut(result),
        _ => {}
    }
}

fn cut<T>(result: &mut Result<T, ApiError>) {
    *result = Err(ApiError::Connection {
        message: "the broken client stays offline".into(),
    });
}
