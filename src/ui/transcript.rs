//! A call's transcript as a dialogue (caller and agent turns with the time into the call), its
//! facts, and the state of the live stream. `update` measures with the same functions
//! (`turn_height`, `total_height`) so scrolling and drawing agree.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::wrap::wrap;
use super::{pane_block, placeholder, time};
use crate::api::{TranscriptTurn, TurnRole};
use crate::app::paging::Load;
use crate::app::state::{AppState, Focus, OpenCall, Stream};
pub use crate::app::view::transcript::{
    INDENT, back_to_show, duration, facts_line_shown, into_call, plain_text, speaker, text_width,
    total_height, turn_at_bottom, turn_height, viewport,
};
use crate::text::{sanitize, sanitize_line};

/// `0:42` into the call, or the clock time when the start is unknown.
fn when(open: &OpenCall, turn: &TranscriptTurn, state: &AppState) -> String {
    match (into_call(open, turn), turn.at) {
        (Some(since), _) if since >= chrono::TimeDelta::zero() => duration(since.num_seconds()),
        (_, Some(at)) => time::clock(at, state.tz, state.settings.time_format),
        (_, None) => String::new(),
    }
}

fn turn_lines(
    state: &AppState,
    open: &OpenCall,
    turn: &TranscriptTurn,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let style = match turn.role {
        TurnRole::User => theme.inbound,
        TurnRole::Agent => theme.outbound,
        TurnRole::Tool | TurnRole::System => theme.dim,
    };
    let name = match (turn.role, &open.agent_name) {
        (TurnRole::Agent, Some(agent)) => format!("Agent ({})", sanitize_line(agent)),
        (role, _) => speaker(role).to_owned(),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(name, style),
        Span::styled(format!("  {}", when(open, turn, state)), theme.time),
    ])];
    for text in wrap(&sanitize(&turn.text), text_width(width)) {
        let mut spans = vec![Span::raw(INDENT)];
        spans.extend(super::find::highlight(
            text,
            &state.find.query,
            theme.base,
            theme.badge,
        ));
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    lines
}

/// The one-line summary of the call's facts (shown above the dialogue when there is no facts pane).
pub fn facts_line(state: &AppState, open: &OpenCall) -> String {
    let s = &open.summary;
    let mut parts = vec![status_text(state, open)];
    if let Some(d) = s.direction {
        parts.push(format!("{d:?}").to_lowercase());
    }
    if let Some(secs) = call_seconds(state, open) {
        parts.push(duration(secs));
    }
    if let Some(agent) = open.agent_name.as_deref().or(s.agent_id.as_deref()) {
        parts.push(format!("agent {}", sanitize_line(agent)));
    }
    match open.recording_available {
        Some(true) => parts.push("recording".into()),
        Some(false) => parts.push("no recording".into()),
        None => {}
    }
    parts.join(" · ")
}

/// The call's length: final, or so far for a live call.
pub fn call_seconds(state: &AppState, open: &OpenCall) -> Option<i64> {
    let s = &open.summary;
    let so_far = || s.started_at.map(|t| (state.now - t).num_seconds());
    s.duration_seconds
        .and_then(|d| i64::try_from(d).ok())
        .or_else(|| if open.is_live() { so_far() } else { None })
}

fn status_text(state: &AppState, open: &OpenCall) -> String {
    match &open.stream {
        Stream::Open {
            connected: true, ..
        } => "● live".into(),
        Stream::Open { .. } => "● live · connecting".into(),
        Stream::Retrying { at } => format!(
            "● live · reconnecting in {}s",
            (*at - state.now).num_seconds().max(0)
        ),
        Stream::Failed(e) => format!("live transcript unavailable: {}", sanitize_line(e)),
        Stream::Off | Stream::Ended => sanitize_line(&open.summary.status),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = state.chrome.focus == Focus::Thread;
    let Some(open) = &state.calls.open else {
        let block = pane_block(Line::styled(" Transcript ", theme.title), focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        placeholder(frame, inner, "Select a call and press enter", theme.dim);
        return;
    };
    let who = sanitize_line(open.summary.other_party());
    let name = state
        .name_of(open.summary.other_party())
        .map(|n| format!(" ({})", sanitize_line(n)))
        .unwrap_or_default();
    let mut title = vec![Span::styled(format!(" Call {who}{name} "), theme.title)];
    if open.is_live() {
        title.push(Span::styled(" LIVE ", theme.badge));
    }
    let block = pane_block(Line::from(title), focused, theme);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if facts_line_shown(state) && inner.height > 2 {
        let line = Line::styled(facts_line(state, open), theme.dim);
        frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
        inner.y += 1;
        inner.height -= 1;
    }
    // The find box has a row of its own under the dialogue's footer (the same count `update`
    // scrolls with), so it hides neither a line nor the "new turns" marker.
    let find = super::layout::find_box_shown(state);
    let dialogue_area = Rect {
        height: inner.height.saturating_sub(u16::from(find)),
        ..inner
    };
    dialogue(frame, dialogue_area, state, open, theme);
    if find {
        super::find::render_box(frame, inner, state, theme);
    }
}

fn dialogue(frame: &mut Frame, area: Rect, state: &AppState, open: &OpenCall, theme: &Theme) {
    if open.transcript.is_empty() {
        let (text, style) = match &open.load {
            Load::Loading(_) => ("Loading the call…".to_owned(), theme.warning),
            Load::Failed(e) => (
                format!(
                    "Couldn't load the call:\n{}\nctrl-r to retry",
                    sanitize_line(e)
                ),
                theme.error,
            ),
            Load::Idle if open.is_live() => ("Waiting for the first words…".into(), theme.dim),
            Load::Idle => ("No transcript for this call".into(), theme.dim),
        };
        placeholder(frame, area, &text, style);
        return;
    }
    let width = super::layout::thread_text_width(area.width);
    let mut lines: Vec<Line> = Vec::new();
    for turn in &open.transcript {
        lines.extend(turn_lines(state, open, turn, width, theme));
    }
    let footer = footer(open, theme);
    // The last line is always kept for the footer, so scrolling measures one height.
    let height = usize::from(area.height).saturating_sub(1);
    let back = usize::from(open.back).min(lines.len().saturating_sub(height));
    let top = lines.len().saturating_sub(height + back);
    let mut shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    if let Some(footer) = footer {
        shown.resize(height, Line::default());
        shown.push(footer);
    }
    frame.render_widget(Paragraph::new(shown), area);
}

fn footer(open: &OpenCall, theme: &Theme) -> Option<Line<'static>> {
    if open.new_below > 0 {
        let text = format!("  ↓ {} new turns below · G follows", open.new_below);
        return Some(Line::styled(text, theme.marker));
    }
    match &open.stream {
        Stream::Open { .. } | Stream::Retrying { .. } if open.back == 0 => {
            Some(Line::styled("  ● following the live call", theme.ok))
        }
        Stream::Ended => Some(Line::styled("  call ended", theme.dim)),
        _ => None,
    }
}

/// The facts pane (wide terminals): everything known about the call.
pub fn render_facts(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let block = pane_block(Line::styled(" Call ", theme.title), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(open) = &state.calls.open else {
        placeholder(frame, inner, "No call open", theme.dim);
        return;
    };
    let s = &open.summary;
    let number = |n: &str| {
        let name = state.name_of(n).map(|x| format!(" ({})", sanitize_line(x)));
        format!("{}{}", sanitize_line(n), name.unwrap_or_default())
    };
    let started = s.started_at.map(|t| {
        let day = time::day_label(t, state.now, state.tz);
        format!(
            "{day} {}",
            time::clock(t, state.tz, state.settings.time_format)
        )
    });
    let recording = match open.recording_available {
        Some(true) => "available",
        Some(false) => "none",
        None => "…",
    };
    // Not a 0 while the transcript is on its way.
    let turns = if open.transcript.is_empty() && open.load.is_loading() {
        "…".to_owned()
    } else {
        open.transcript.len().to_string()
    };
    let rows: Vec<(&str, String)> = vec![
        ("status", status_text(state, open)),
        (
            "direction",
            s.direction
                .map(|d| format!("{d:?}").to_lowercase())
                .unwrap_or_default(),
        ),
        ("from", number(&s.from)),
        ("to", number(&s.to)),
        (
            "agent",
            open.agent_name
                .clone()
                .or_else(|| s.agent_id.clone())
                .unwrap_or_default(),
        ),
        ("started", started.unwrap_or_default()),
        (
            "duration",
            call_seconds(state, open).map(duration).unwrap_or_default(),
        ),
        ("turns", turns),
        ("recording", recording.into()),
        ("call id", s.id.to_string()),
    ];
    let lines: Vec<Line> = rows
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{k:>10} "), theme.dim),
                Span::raw(sanitize_line(&v)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
