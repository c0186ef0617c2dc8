//! Every colour and style in one place, mapped down to what the terminal shows ([`depth`]).
//!
//! The dark and light themes use the terminal's own palette for most colours (a terminal's
//! palette is made for its background) and 24-bit colours only where a named one would not do;
//! the contrast of every style is tested against dark and light terminals (`contrast_tests`).

pub mod contrast;
#[cfg(test)]
mod contrast_tests;
pub mod depth;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

pub use self::depth::ColorDepth;
use crate::text::find_ranges;

/// The styles the panes use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    /// A selected row: the whole row in this style (see [`Theme::selected_line`]).
    pub selected: Style,
    pub unread: Style,
    /// The count of unread messages (or `●`) before a conversation's name, on the terminal's
    /// background.
    pub unread_count: Style,
    pub inbound: Style,
    pub outbound: Style,
    pub tag: Style,
    pub time: Style,
    pub separator: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    pub link: Style,
    pub reaction: Style,
    pub badge: Style,
    pub key: Style,
    pub marker: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self::dark()
    }
}

impl Theme {
    /// The default dark theme.
    pub fn dark() -> Self {
        Self {
            base: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            border: Style::default().fg(Color::DarkGray),
            border_focused: Style::default().fg(Color::Cyan),
            title: Style::default().add_modifier(Modifier::BOLD),
            // A blue bar that stands out from dark and light backgrounds alike, with white text;
            // mapped down to the 256 or 16 colours a terminal has (`for_depth`).
            selected: Style::default()
                .fg(Color::Rgb(255, 255, 255))
                .bg(Color::Rgb(45, 85, 160))
                .add_modifier(Modifier::BOLD),
            unread: Style::default()
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            unread_count: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            inbound: Style::default()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            outbound: Style::default()
                .fg(Color::LightGreen)
                .add_modifier(Modifier::BOLD),
            tag: Style::default().fg(Color::Yellow),
            time: Style::default().fg(Color::Gray),
            separator: Style::default().fg(Color::DarkGray),
            error: Style::default().fg(Color::LightRed),
            warning: Style::default().fg(Color::Yellow),
            ok: Style::default().fg(Color::Green),
            link: Style::default()
                .fg(Color::LightBlue)
                .add_modifier(Modifier::UNDERLINED),
            reaction: Style::default().fg(Color::Magenta),
            badge: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            key: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            marker: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        }
    }
}

/// The themes a config can name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    /// The 16 standard colours, for terminals without 256 or true colour.
    Basic,
}

impl ThemeName {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Self::Dark),
            "light" => Some(Self::Light),
            "basic" => Some(Self::Basic),
            _ => None,
        }
    }
}

impl Theme {
    /// The theme for a name; `no_color` (the `NO_COLOR` convention) wins over any name.
    pub fn named(name: ThemeName, no_color: bool) -> Self {
        if no_color {
            return Self::plain();
        }
        match name {
            ThemeName::Dark => Self::dark(),
            ThemeName::Light => Self::light(),
            ThemeName::Basic => Self::basic(),
        }
    }

    /// For light backgrounds: nothing pale (grey, yellow, cyan, light green) on the terminal's
    /// background.
    pub fn light() -> Self {
        let green = Color::Rgb(0, 120, 0);
        Self {
            dim: Style::default().fg(Color::DarkGray),
            border: Style::default().fg(Color::DarkGray),
            border_focused: Style::default().fg(Color::Blue),
            unread: Style::default()
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            unread_count: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            inbound: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            outbound: Style::default().fg(green).add_modifier(Modifier::BOLD),
            tag: Style::default().fg(Color::Magenta),
            time: Style::default().fg(Color::DarkGray),
            separator: Style::default().fg(Color::DarkGray),
            error: Style::default().fg(Color::Red),
            warning: Style::default().fg(Color::Rgb(160, 100, 0)),
            ok: Style::default().fg(green),
            link: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            key: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            ..Self::dark()
        }
    }

    /// Only the 16 standard colours.
    pub fn basic() -> Self {
        Self {
            selected: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ..Self::dark()
        }
    }

    /// No colour at all (`NO_COLOR`): bold, reverse and underline carry focus, selection, unread.
    pub fn plain() -> Self {
        let none = Style::default();
        let bold = Style::default().add_modifier(Modifier::BOLD);
        Self {
            base: none,
            dim: none,
            border: none,
            border_focused: bold,
            title: bold,
            selected: Style::default().add_modifier(Modifier::REVERSED),
            unread: bold,
            unread_count: bold,
            inbound: bold,
            outbound: bold,
            tag: none,
            time: none,
            separator: none,
            error: bold,
            warning: bold,
            ok: none,
            link: Style::default().add_modifier(Modifier::UNDERLINED),
            reaction: none,
            badge: Style::default().add_modifier(Modifier::REVERSED),
            key: bold,
            marker: Style::default().add_modifier(Modifier::REVERSED),
        }
    }
}

impl Theme {
    /// A row drawn selected: every part in [`Theme::selected`] (a tag's or a time's own colour
    /// would not be readable on the selection's background), bold parts kept bold.
    pub fn selected_line(&self, line: Line<'static>) -> Line<'static> {
        let spans: Vec<Span<'static>> = line
            .spans
            .into_iter()
            .map(|span| {
                let bold = span.style.add_modifier & Modifier::BOLD;
                let style = self.selected.add_modifier(bold);
                span.style(style)
            })
            .collect();
        Line::from(spans).style(self.selected)
    }

    /// Every style, with its name (the contrast tests go through them all).
    pub fn named_styles(&self) -> [(&'static str, Style); 21] {
        [
            ("base", self.base),
            ("dim", self.dim),
            ("border", self.border),
            ("border_focused", self.border_focused),
            ("title", self.title),
            ("selected", self.selected),
            ("unread", self.unread),
            ("unread_count", self.unread_count),
            ("inbound", self.inbound),
            ("outbound", self.outbound),
            ("tag", self.tag),
            ("time", self.time),
            ("separator", self.separator),
            ("error", self.error),
            ("warning", self.warning),
            ("ok", self.ok),
            ("link", self.link),
            ("reaction", self.reaction),
            ("badge", self.badge),
            ("key", self.key),
            ("marker", self.marker),
        ]
    }

    /// Every style.
    pub fn styles(&self) -> impl Iterator<Item = Style> {
        self.named_styles().into_iter().map(|(_, style)| style)
    }
}

/// `text` as spans in `base`, with every match of `query` in `hit`.
pub fn highlight(text: String, query: &str, base: Style, hit: Style) -> Vec<Span<'static>> {
    let ranges = find_ranges(&text, query);
    if ranges.is_empty() {
        return vec![Span::styled(text, base)];
    }
    let mut spans = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for range in ranges {
        if range.start > at {
            spans.push(Span::styled(text[at..range.start].to_owned(), base));
        }
        spans.push(Span::styled(text[range.clone()].to_owned(), hit));
        at = range.end;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_owned(), base));
    }
    spans
}
