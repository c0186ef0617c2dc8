//! The side pane of an AI session (Anyreach): its facts, read-only, with "hidden by token scope"
//! where the token may not read a field.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::transcript::duration;
use crate::api::{Scoped, SessionFacts};
use crate::text::{escape_json_invisibles, sanitize_line};

/// Shown for a field the token's scope hides.
pub const HIDDEN: &str = "hidden by token scope";

fn scoped_text(value: &Scoped<String>) -> (String, bool) {
    match value {
        Scoped::Value(v) => (sanitize_line(v), false),
        Scoped::Empty => ("—".into(), false),
        Scoped::Hidden => (HIDDEN.into(), true),
    }
}

fn row(label: &str, value: String, dim: bool, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:>9} "), theme.dim),
        Span::styled(value, if dim { theme.dim } else { theme.base }),
    ])
}

/// The facts of `facts`, as lines for a pane of any width (the paragraph wraps them).
pub fn lines(facts: &SessionFacts, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        row("status", sanitize_line(&facts.status), false, theme),
        row(
            "channel",
            facts
                .channel
                .as_deref()
                .map_or_else(|| "—".into(), sanitize_line),
            false,
            theme,
        ),
    ];
    if let Some(d) = facts.direction {
        out.push(row(
            "direction",
            format!("{d:?}").to_lowercase(),
            false,
            theme,
        ));
    }
    let length = facts
        .duration_seconds
        .and_then(|d| i64::try_from(d).ok())
        .map_or_else(|| "—".into(), duration);
    out.push(row("duration", length, false, theme));
    let turns = facts
        .user_turns
        .map_or_else(|| "—".into(), |t| t.to_string());
    out.push(row("turns", turns, false, theme));
    let (agent, hidden) = scoped_text(&facts.agent_name);
    out.push(row("agent", agent, hidden, theme));
    for (label, value) in [
        ("summary", &facts.summary),
        ("context", &facts.initial_context),
    ] {
        out.push(Line::default());
        out.push(Line::styled(label.to_owned(), theme.title));
        let (text, hidden) = scoped_text(value);
        out.push(Line::styled(
            text,
            if hidden { theme.dim } else { theme.base },
        ));
    }
    out.push(Line::default());
    out.push(Line::styled("custom metadata", theme.title));
    match &facts.custom_metadata {
        Scoped::Value(map) => {
            let json = serde_json::to_string_pretty(map).unwrap_or_default();
            out.extend(
                escape_json_invisibles(&json)
                    .lines()
                    .map(|l| Line::styled(l.to_owned(), theme.base)),
            );
        }
        Scoped::Empty => out.push(Line::styled("(none)", theme.dim)),
        Scoped::Hidden => out.push(Line::styled(HIDDEN, theme.dim)),
    }
    out.push(Line::default());
    out.push(Line::styled(
        "read-only: Anyreach has no API to edit a session",
        theme.dim,
    ));
    out
}

pub fn render(frame: &mut Frame, area: Rect, facts: &SessionFacts, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(lines(facts, theme)).wrap(Wrap { trim: false }),
        area,
    );
}
