//! Every colour and style in one place.

use ratatui::style::{Color, Modifier, Style};

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
