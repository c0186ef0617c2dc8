//! The lines of one message block, and the rows around messages (history header, day separators,
//! pending sends). `update` counts these lines to scroll; render draws them: one function decides.

use std::collections::{BTreeSet, HashMap};

use crate::app::view::time::Zone;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::api::{
    DeliveryStatus, Direction, Message, NextPage, Participant, Timestamp, TurnInfo, TurnKind,
};
use crate::app::paging::Load;
use crate::app::state::{PendingSend, SendState, Thread};
use crate::app::view::theme::Theme;
use crate::app::view::time;
use crate::app::view::wrap::{truncate, wrap};
use crate::text::{sanitize, sanitize_line};

/// Indentation of everything under a message header.
const INDENT: &str = "  ";

/// What the lines need besides the message.
#[derive(Clone, Copy, Debug)]
pub struct BlockCtx<'a> {
    pub tz: Zone,
    pub now: Timestamp,
    /// The address book.
    pub names: &'a HashMap<String, String>,
    /// Names the conversation itself gives (participant, group members); they win.
    pub participants: &'a [Participant],
    pub time_format: time::TimeFormat,
    pub theme: &'a Theme,
    /// The find query whose matches are highlighted (empty: none).
    pub find: &'a str,
}

impl BlockCtx<'_> {
    fn name(&self, address: &str) -> String {
        let own = self
            .participants
            .iter()
            .find(|p| p.address == address)
            .and_then(|p| p.name.as_deref());
        let name = own.or_else(|| self.names.get(address).map(String::as_str));
        sanitize_line(name.unwrap_or(address))
    }
}

/// The names a conversation gives its own members (the participant, a group's members); in a
/// block's header they win over the address book.
pub fn participants(
    state: &crate::app::state::AppState,
    id: &crate::api::ConversationId,
) -> Vec<Participant> {
    match state.conversation(id).map(|c| &c.counterparty) {
        Some(crate::api::Counterparty::Person(p)) => vec![p.clone()],
        Some(crate::api::Counterparty::Group { members, .. }) => members.clone(),
        None => Vec::new(),
    }
}

/// The context blocks are laid out in for `state`: its zone, clock format and names. Measuring
/// (the reducer) and drawing (render) both take it from here, so a block measures what it draws.
pub fn context<'a>(
    state: &'a crate::app::state::AppState,
    participants: &'a [Participant],
    theme: &'a Theme,
) -> BlockCtx<'a> {
    BlockCtx {
        tz: state.tz,
        now: state.now,
        names: &state.inbox.contacts,
        participants,
        time_format: state.settings.time_format,
        theme,
        find: &state.find.query,
    }
}

/// The lines of one message: header, reply quote, body, media links, reactions, failure, gap.
pub fn message_lines(msg: &Message, width: u16, ctx: &BlockCtx) -> Vec<Line<'static>> {
    let width = usize::from(width.max(4));
    let inner = width.saturating_sub(INDENT.len()).max(1);
    let t = ctx.theme;
    if msg.direction == Direction::System && msg.turn.is_none() {
        return activity_lines(msg, inner, ctx);
    }
    let mut lines = vec![header(msg, width, ctx)];
    if let Some(reply) = &msg.reply_to {
        let excerpt = sanitize_line(reply.excerpt.as_deref().unwrap_or("an earlier message"));
        lines.push(Line::styled(
            format!("{INDENT}↪ {}", truncate(&excerpt, inner.saturating_sub(2))),
            t.dim,
        ));
    }
    let tool = msg.turn.as_ref().and_then(|t| match &t.kind {
        Some(TurnKind::ToolCall {
            arguments,
            output,
            is_error,
            ..
        }) => Some((arguments, output, *is_error)),
        _ => None,
    });
    if let Some((arguments, output, failed)) = tool {
        tool_lines(&mut lines, arguments, output.as_deref(), failed, inner, t);
    } else if !msg.body.is_empty() {
        for row in wrap(&sanitize(&msg.body), inner) {
            let mut spans = vec![Span::styled(INDENT, t.base)];
            spans.extend(super::theme::highlight(row, ctx.find, t.base, t.badge));
            lines.push(Line::from(spans));
        }
    }
    for (i, url) in msg.media.iter().enumerate() {
        let label = format!("[{}] ", i + 1);
        let url = truncate(&sanitize_line(url), inner.saturating_sub(label.len()));
        lines.push(Line::from(vec![
            Span::styled(format!("{INDENT}{label}"), t.dim),
            Span::styled(url, t.link),
        ]));
    }
    if !msg.reactions.is_empty() {
        let text: Vec<String> = msg
            .reactions
            .iter()
            .map(|r| reaction_label(&sanitize_line(&r.kind)))
            .collect();
        lines.push(Line::styled(
            format!("{INDENT}{}", truncate(&text.join("  "), inner)),
            t.reaction,
        ));
    }
    if let Some(delivery) = msg
        .delivery
        .as_ref()
        .filter(|d| d.status == DeliveryStatus::Failed)
    {
        let reason = delivery
            .failure_reason
            .as_deref()
            .unwrap_or("no reason given");
        let code = delivery
            .error_code
            .as_deref()
            .map(|c| format!(" (code {c})"))
            .unwrap_or_default();
        for row in wrap(
            &sanitize_line(&format!("✗ not delivered: {reason}{code}")),
            inner,
        ) {
            lines.push(Line::styled(format!("{INDENT}{row}"), t.error));
        }
    }
    lines.push(Line::default());
    lines
}

/// A tool call: its arguments, then its output (red when the tool failed).
fn tool_lines(
    lines: &mut Vec<Line<'static>>,
    arguments: &str,
    output: Option<&str>,
    failed: bool,
    inner: usize,
    t: &Theme,
) {
    for row in wrap(&sanitize(&format!("args {arguments}")), inner) {
        lines.push(Line::styled(format!("{INDENT}{row}"), t.dim));
    }
    let (text, style) = match output {
        Some(out) if failed => (format!("✗ {out}"), t.error),
        Some(out) => (format!("↳ {out}"), t.dim),
        None => ("… no output".to_owned(), t.dim),
    };
    for row in wrap(&sanitize(&text), inner) {
        lines.push(Line::styled(format!("{INDENT}{row}"), style));
    }
}

/// Tapback names as glyphs; emoji as they are.
fn reaction_label(kind: &str) -> String {
    let glyph = match kind {
        "love" => "❤",
        "like" => "👍",
        "dislike" => "👎",
        "laugh" => "😂",
        "emphasize" => "‼",
        "question" => "❓",
        other => return other.to_owned(),
    };
    format!("{glyph} {kind}")
}

/// An activity line (status change, assignment): one dim line with its time, then a gap.
fn activity_lines(msg: &Message, inner: usize, ctx: &BlockCtx) -> Vec<Line<'static>> {
    let clock = time::clock(msg.sent_at, ctx.tz, ctx.time_format);
    let text = format!("· {}  {clock}", sanitize_line(&msg.body));
    let mut lines: Vec<Line<'static>> = wrap(&text, inner + INDENT.len())
        .into_iter()
        .map(|row| Line::styled(row, ctx.theme.dim))
        .collect();
    lines.push(Line::default());
    lines
}

fn header(msg: &Message, width: usize, ctx: &BlockCtx) -> Line<'static> {
    let t = ctx.theme;
    let sender_name = msg
        .sender
        .as_ref()
        .and_then(|s| s.name.as_deref())
        .map(sanitize_line);
    let (arrow, who, style) = match msg.direction {
        Direction::Inbound => {
            let address = msg
                .sender
                .as_ref()
                .map(|s| s.address.as_str())
                .or(msg.from.as_deref())
                .unwrap_or("customer");
            (
                "←",
                sender_name.unwrap_or_else(|| ctx.name(address)),
                t.inbound,
            )
        }
        Direction::Outbound if msg.private => (
            "✎",
            format!(
                "{} · private note",
                sender_name.unwrap_or_else(|| "Agent".into())
            ),
            t.warning,
        ),
        Direction::Outbound => (
            "→",
            sender_name.unwrap_or_else(|| "Agent".into()),
            t.outbound,
        ),
        Direction::System => match msg.turn.as_ref().and_then(|t| t.kind.as_ref()) {
            Some(TurnKind::ToolCall { name, is_error, .. }) => (
                "⚙",
                format!("tool {}", sanitize_line(name)),
                if *is_error { t.error } else { t.dim },
            ),
            Some(TurnKind::Handoff { .. }) => ("⇄", "handoff".to_owned(), t.warning),
            None => ("·", "system".to_owned(), t.dim),
        },
    };
    let clock = time::clock(msg.sent_at, ctx.tz, ctx.time_format);
    let status = msg.delivery.as_ref().map(|d| status_label(&d.status));
    let fixed = 3 + clock.len() + status.as_ref().map_or(0, |(s, _)| s.chars().count() + 3);
    let who = truncate(&who, width.saturating_sub(fixed).max(1));
    let mut spans = vec![
        Span::styled(format!("{arrow} {who}"), style),
        Span::styled(format!("  {clock}"), t.time),
    ];
    if let Some((label, ok)) = status {
        spans.push(Span::styled(
            format!("  {label}"),
            if ok { t.dim } else { t.error },
        ));
    }
    if let Some(turn) = &msg.turn {
        spans.extend(turn_notes(turn, t));
    }
    Line::from(spans)
}

/// What an AI transcript says of a turn: latency, an interruption, a doubtful transcription.
fn turn_notes(turn: &TurnInfo, t: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if let Some(ms) = turn.latency_ms {
        spans.push(Span::styled(
            format!("  {:.1} s", f64::from(ms) / 1000.0),
            t.dim,
        ));
    }
    if turn.interrupted {
        spans.push(Span::styled("  interrupted", t.warning));
    }
    if let Some(c) = turn.confidence.filter(|c| *c < 0.8) {
        spans.push(Span::styled(
            format!("  heard {:.0}%", c * 100.0),
            t.warning,
        ));
    }
    spans
}

/// A delivery status in words, and whether it is fine.
fn status_label(status: &DeliveryStatus) -> (String, bool) {
    match status {
        DeliveryStatus::Queued => ("◷ queued".into(), true),
        DeliveryStatus::Sent => ("✓ sent".into(), true),
        DeliveryStatus::Delivered => ("✓✓ delivered".into(), true),
        DeliveryStatus::Read => ("✓✓ read".into(), true),
        DeliveryStatus::Failed => ("✗ failed".into(), false),
        DeliveryStatus::Other(s) => (sanitize_line(s), true),
    }
}

/// Rows above message `i`: the history header above the first one, a day separator when the day
/// changes.
pub fn top_lines(thread: &Thread, i: usize, width: u16, ctx: &BlockCtx) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some(msg) = thread.messages.get(i) else {
        return lines;
    };
    let width = usize::from(width.max(4));
    if i == 0 {
        lines.push(history_header(thread, width, ctx.theme));
    }
    let new_day =
        i == 0 || time::different_day(thread.messages[i - 1].sent_at, msg.sent_at, ctx.tz);
    if new_day {
        let label = format!(" {} ", time::day_label(msg.sent_at, ctx.now, ctx.tz));
        lines.push(Line::styled(
            centered(&label, width, '─'),
            ctx.theme.separator,
        ));
    }
    if let Some(gap) = gap_above(&thread.messages, i, &thread.gaps) {
        let clock = time::clock_seconds(gap, ctx.tz, ctx.time_format);
        let text = format!("⚠ some messages at {clock} could not be loaded (too many share it)");
        lines.push(Line::styled(truncate(&text, width), ctx.theme.warning));
    }
    if thread.divider.as_ref() == Some(&msg.id) {
        lines.push(Line::styled(
            centered(" new messages ", width, '─'),
            ctx.theme.warning,
        ));
    }
    lines
}

/// The gap whose marker goes above message `i`: one at the message's time or up to a second
/// before it (a gap may be a whole second), that the message before it does not already follow.
pub fn gap_above(messages: &[Message], i: usize, gaps: &BTreeSet<Timestamp>) -> Option<Timestamp> {
    use std::ops::Bound::{Excluded, Included};
    let at = messages.get(i)?.sent_at;
    let previous = i.checked_sub(1).map(|p| messages[p].sent_at);
    gaps.range((Excluded(at - chrono::TimeDelta::seconds(1)), Included(at)))
        .find(|g| previous.is_none_or(|p| p < **g))
        .copied()
}

/// The number of rows [`top_lines`] gives, without building them.
pub fn top_height(thread: &Thread, i: usize, tz: Zone) -> u16 {
    let messages = &thread.messages;
    let above = match i {
        0 => 2,
        _ => u16::from(time::different_day(
            messages[i - 1].sent_at,
            messages[i].sent_at,
            tz,
        )),
    };
    above
        + u16::from(gap_above(messages, i, &thread.gaps).is_some())
        + u16::from(thread.divider.as_ref() == Some(&messages[i].id))
}

fn history_header(thread: &Thread, width: usize, theme: &Theme) -> Line<'static> {
    let (text, style): (String, Style) = match (&thread.older, &thread.older_load) {
        (Some(NextPage::End), _) => (
            centered(" beginning of conversation ", width, '═'),
            theme.dim,
        ),
        (_, Load::Loading(_)) => ("↑ loading older messages…".into(), theme.warning),
        (_, Load::Failed(e)) => (
            truncate(
                &format!(
                    "✗ older messages failed to load: {} (ctrl-r retries)",
                    sanitize_line(e)
                ),
                width,
            ),
            theme.error,
        ),
        _ => ("↑ scroll up for older messages".into(), theme.dim),
    };
    Line::styled(text, style)
}

fn centered(label: &str, width: usize, fill: char) -> String {
    let label = truncate(label, width);
    let used = super::wrap::width(&label);
    let left = width.saturating_sub(used) / 2;
    let right = width.saturating_sub(used + left);
    format!(
        "{}{label}{}",
        fill.to_string().repeat(left),
        fill.to_string().repeat(right)
    )
}

/// The rows under the last message: sent messages waiting for their server copy, then the send
/// in flight (or whose outcome is unknown).
pub fn tail_lines(
    thread: &Thread,
    pending: Option<&PendingSend>,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let width = usize::from(width.max(4));
    let mut lines = Vec::new();
    let preview = |body: &str| {
        let first = body.lines().next().unwrap_or_default();
        truncate(&sanitize_line(first), width.saturating_sub(INDENT.len()))
    };
    for sent in &thread.outbox {
        lines.push(Line::styled("→ Agent  ✓ sent".to_owned(), theme.outbound));
        lines.push(Line::styled(
            format!("{INDENT}{}", preview(&sent.body)),
            theme.base,
        ));
        lines.push(Line::default());
    }
    if let Some(pending) = pending {
        let status = match &pending.state {
            SendState::Sending => "→ Agent  sending…".to_owned(),
            SendState::Unknown { reason, check, .. } => {
                let what = if check.is_some() {
                    "checking the thread…"
                } else {
                    "will check the thread"
                };
                format!("⚠ may or may not have been sent ({reason}); {what}")
            }
        };
        lines.push(Line::styled(truncate(&status, width), theme.warning));
        lines.push(Line::styled(
            format!("{INDENT}{}", preview(&pending.body)),
            theme.dim,
        ));
        lines.push(Line::default());
    }
    lines
}
