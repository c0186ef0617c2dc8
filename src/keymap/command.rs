//! `Command`: what a user can bind a key to, with its name in the config file and what it
//! does in each mode (help and hints are generated from these).

use super::Mode;

/// What a user can bind a key to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Suspend,
    Help,
    FocusNext,
    FocusPrev,
    /// Pane 1 of the tab bar: the list.
    FocusList,
    /// Pane 2: the open thread or transcript.
    FocusThread,
    /// Pane 3: the metadata or session pane (the editor when one is open).
    FocusSide,
    Refresh,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    ClearFilter,
    Accept,
    Reply,
    Send,
    Newline,
    EditMetadata,
    Save,
    Format,
    Yes,
    No,
    Overwrite,
    Reload,
    Diff,
    CopyMessage,
    CopyNumber,
    CopyId,
    OpenLink,
    Mute,
    MuteAll,
    ExternalEditor,
    Search,
    NextUnread,
    PrevUnread,
    Calls,
    StatusFilter,
    DirectionFilter,
    Find,
    FindNext,
    FindPrev,
    ChannelFilter,
    DateFilter,
    TabNext,
    InboxFilter,
    LabelFilter,
    Actions,
    ToggleNote,
    Redraw,
}

/// Every command with its name in the config file.
pub const COMMAND_NAMES: &[(Command, &str)] = &[
    (Command::Quit, "quit"),
    (Command::Suspend, "suspend"),
    (Command::Help, "help"),
    (Command::FocusNext, "focus-next"),
    (Command::FocusPrev, "focus-prev"),
    (Command::FocusList, "focus-list"),
    (Command::FocusThread, "focus-thread"),
    (Command::FocusSide, "focus-side"),
    (Command::Refresh, "refresh"),
    (Command::Up, "up"),
    (Command::Down, "down"),
    (Command::PageUp, "page-up"),
    (Command::PageDown, "page-down"),
    (Command::Top, "top"),
    (Command::Bottom, "bottom"),
    (Command::Open, "open"),
    (Command::Back, "back"),
    (Command::Filter, "filter"),
    (Command::ClearFilter, "clear-filter"),
    (Command::Accept, "accept"),
    (Command::Reply, "reply"),
    (Command::Send, "send"),
    (Command::Newline, "newline"),
    (Command::EditMetadata, "edit-metadata"),
    (Command::Save, "save"),
    (Command::Format, "format"),
    (Command::Yes, "yes"),
    (Command::No, "no"),
    (Command::Overwrite, "overwrite"),
    (Command::Reload, "reload"),
    (Command::Diff, "diff"),
    (Command::CopyMessage, "copy-message"),
    (Command::CopyNumber, "copy-number"),
    (Command::CopyId, "copy-id"),
    (Command::OpenLink, "open-link"),
    (Command::Mute, "mute"),
    (Command::MuteAll, "mute-all"),
    (Command::ExternalEditor, "external-editor"),
    (Command::Search, "search"),
    (Command::NextUnread, "next-unread"),
    (Command::PrevUnread, "prev-unread"),
    (Command::Calls, "calls"),
    (Command::StatusFilter, "status-filter"),
    (Command::DirectionFilter, "direction-filter"),
    (Command::Find, "find"),
    (Command::FindNext, "find-next"),
    (Command::FindPrev, "find-prev"),
    (Command::ChannelFilter, "channel-filter"),
    (Command::DateFilter, "date-filter"),
    (Command::TabNext, "next-tab"),
    (Command::InboxFilter, "inbox-filter"),
    (Command::LabelFilter, "label-filter"),
    (Command::Actions, "actions"),
    (Command::ToggleNote, "toggle-note"),
    (Command::Redraw, "redraw"),
];

impl Command {
    /// The command's name in the config file (`focus-next`).
    pub fn name(self) -> &'static str {
        COMMAND_NAMES
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("?", |(_, name)| name)
    }

    /// The command a config name stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        COMMAND_NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| *c)
    }

    /// What the command does in `mode`, for help.
    pub fn describe(self, mode: Mode) -> &'static str {
        let specific = match (mode, self) {
            (Mode::List, Self::Up) => "previous conversation",
            (Mode::List, Self::Down) => "next conversation",
            (Mode::List, Self::Top) => "first conversation",
            (Mode::List, Self::Bottom) => "last conversation (loads more; filtering: loads all)",
            (Mode::Thread, Self::Up) => "scroll up a line (older pages load ahead of you)",
            (Mode::Thread | Mode::Transcript | Mode::Side | Mode::Diff, Self::Down) => {
                "scroll down a line"
            }
            (Mode::Thread, Self::Back) => "back to the list",
            (Mode::Compose, Self::Back) => "leave the reply box (the draft is kept)",
            (Mode::Editor, Self::Back) => "close the editor (asks when unsaved)",
            (Mode::Editor, Self::Reload) => {
                "reload the server's copy (shows what your edit would lose first)"
            }
            (Mode::Diff, Self::Top) => "first difference",
            (Mode::Diff, Self::Bottom) => "last difference",
            (Mode::Diff, Self::Overwrite) => "save yours over the server's copy",
            (Mode::Diff, Self::Back) => "close, keep editing",
            (Mode::Filter, Self::ClearFilter) => "clear the filter and stop typing",
            (Mode::Help, Self::Back) => "close help",
            (Mode::Help, Self::Down) => "scroll help down a line",
            (Mode::Help, Self::Up) => "scroll help up a line",
            (Mode::Help, Self::PageDown) => "scroll help down a page",
            (Mode::Help, Self::PageUp) => "scroll help up a page",
            (Mode::Help, Self::Top) => "top of help",
            (Mode::Help, Self::Bottom) => "end of help",
            (Mode::Help, Self::Filter) => {
                "filter help: only the keys whose name or description has the text"
            }
            (Mode::Links, Self::Up) => "previous link (or action)",
            (Mode::Links, Self::Down) => "next link (or action)",
            (Mode::Links, Self::Open) => "open the link in a browser (or do the action)",
            (Mode::Links, Self::CopyMessage) => "copy the link (OSC 52, works over SSH)",
            (Mode::Links, Self::Back) => "close the list",
            (Mode::Search, Self::Up) => "previous result",
            (Mode::Search, Self::Down) => "next result",
            (Mode::Search, Self::PageUp | Self::PageDown) => "page through the results",
            (Mode::Search, Self::Open) => "open the conversation at the result",
            (Mode::Search, Self::Back) => "close search",
            (Mode::List, Self::StatusFilter) => {
                "Anyreach, Chatwoot: cycle the status filter (server side)"
            }
            (Mode::List, Self::DirectionFilter) => "Anyreach: cycle the direction filter",
            (Mode::Calls, Self::Up) => "previous call",
            (Mode::Calls, Self::Down) => "next call",
            (Mode::Calls, Self::Top) => "newest call",
            (Mode::Calls, Self::Bottom) => "last loaded call (loads more)",
            (Mode::Calls, Self::Open) => {
                "open the call's transcript (live calls follow the stream)"
            }
            (Mode::Calls, Self::Filter) => "find calls by number (enter asks the server)",
            (Mode::Calls, Self::ClearFilter) => "clear every call filter",
            (Mode::Calls | Mode::Transcript, Self::CopyId) => "copy the call id",
            (Mode::Transcript | Mode::Side | Mode::Diff, Self::Up) => "scroll up a line",
            (Mode::Transcript, Self::Top) => "first turn",
            (Mode::Transcript, Self::Bottom) => "last turn (follows a live call)",
            (Mode::Transcript, Self::CopyMessage) => "copy the whole transcript (OSC 52)",
            (Mode::Transcript, Self::Back) => "back to the calls list",
            (Mode::Side, Self::Top) => "top of the pane",
            (Mode::Side, Self::Bottom) => "end of the pane",
            (Mode::Side, Self::Back) => "back to the thread (or the list)",
            (Mode::Side, Self::EditMetadata) => {
                "edit the metadata (JSON) where the provider allows it"
            }
            (Mode::Find, Self::Accept) => "find: go to the nearest match above",
            (Mode::Find, Self::ClearFilter) => "stop finding (clears the highlight)",
            (Mode::Filter, Self::Accept) => "keep the filter and browse (calls: search)",
            _ => "",
        };
        if specific.is_empty() {
            self.description()
        } else {
            specific
        }
    }

    /// What the command does, for help and hints.
    pub fn description(self) -> &'static str {
        match self {
            Self::Quit => "quit (asks first when a draft or edit is unsaved)",
            Self::Suspend => "suspend to the shell (fg resumes)",
            Self::Help => "show this help",
            Self::FocusNext => "next pane",
            Self::FocusPrev => "previous pane",
            Self::FocusList => "pane 1: the list",
            Self::FocusThread => "pane 2: the open thread or transcript",
            Self::FocusSide => "pane 3: the metadata or session pane",
            Self::Refresh => "refresh now, retry a failed load",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::Top => "oldest message (loads the whole history)",
            Self::Bottom => "newest message (jumps to new messages)",
            Self::Open => "open the conversation",
            Self::Back => "back / close",
            Self::Filter => "filter conversations by name, number, text, metadata",
            Self::ClearFilter => "clear the filter",
            Self::Accept => "keep the filter and browse",
            Self::Reply => "write a reply",
            Self::Send => "send the reply",
            Self::Newline => "new line in the reply",
            Self::EditMetadata => "edit the conversation's metadata (JSON)",
            Self::Save => "save metadata (replaces the whole object)",
            Self::Format => "format the JSON",
            Self::Yes => "yes",
            Self::No => "no / cancel",
            Self::Overwrite => "overwrite the server's version",
            Self::Reload => "reload the server's copy (drops your edit)",
            Self::Diff => "compare your edit with the server's copy, key by key",
            Self::CopyMessage => "copy the highlighted message (OSC 52, works over SSH)",
            Self::CopyNumber => "copy the phone number",
            Self::CopyId => "copy the conversation id",
            Self::OpenLink => "open a link of the highlighted message",
            Self::Mute => "mute or unmute notifications for this conversation",
            Self::MuteAll => "mute or unmute all notifications",
            Self::ExternalEditor => "write in $VISUAL / $EDITOR",
            Self::Search => "search all cached messages, names, numbers, metadata",
            Self::NextUnread => "next unread conversation",
            Self::PrevUnread => "previous unread conversation",
            Self::Calls => "switch between conversations and calls",
            Self::StatusFilter => "cycle the status filter: all, in progress, completed, failed",
            Self::DirectionFilter => "cycle the direction filter: all, inbound, outbound",
            Self::Find => "find text in what is loaded (highlights every match)",
            Self::FindNext => "next match further back (loads older pages when none is loaded)",
            Self::FindPrev => "next match further forward",
            Self::ChannelFilter => {
                "Anyreach: cycle the channel filter (telephone, web, text, email)"
            }
            Self::DateFilter => "Anyreach: created in the last day, week, month, or any time",
            Self::TabNext => "Chatwoot: next tab: Mine, Unassigned, All (with counts)",
            Self::InboxFilter => "Chatwoot: cycle through the inboxes seen, then all",
            Self::LabelFilter => "Chatwoot: cycle through the labels seen, then any",
            Self::ToggleNote => "Chatwoot: switch between a reply and a private note",
            Self::Redraw => {
                "redraw the whole screen, clearing stray characters (also while typing)"
            }
            Self::Actions => {
                "Chatwoot: resolve, reopen, pending, snooze, priority, assign to me, labels"
            }
        }
    }
}
