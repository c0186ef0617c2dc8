//! Every colour and style in one place.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::text::find_ranges;

/// The styles the panes use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selected: Style,
    pub unread: Style,
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
            selected: Style::default()
                .bg(Color::Rgb(40, 52, 70))
                .add_modifier(Modifier::BOLD),
            unread: Style::default()
                .fg(Color::White)
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

    /// For light backgrounds.
    pub fn light() -> Self {
        Self {
            dim: Style::default().fg(Color::Gray),
            border: Style::default().fg(Color::Gray),
            border_focused: Style::default().fg(Color::Blue),
            selected: Style::default()
                .bg(Color::Rgb(215, 228, 245))
                .add_modifier(Modifier::BOLD),
            unread: Style::default()
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            inbound: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            outbound: Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD),
            tag: Style::default().fg(Color::Magenta),
            time: Style::default().fg(Color::DarkGray),
            separator: Style::default().fg(Color::Gray),
            error: Style::default().fg(Color::Red),
            warning: Style::default().fg(Color::Rgb(160, 100, 0)),
            ok: Style::default().fg(Color::Green),
            link: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
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
