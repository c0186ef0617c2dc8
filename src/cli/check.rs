//! `switchboard check`: a plain-text connection check that reads the first page of
//! conversations and the newest thread, and says which records could not be read.

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr};

use crate::api::Client;
use crate::session::Session;
use crate::text::sanitize_line;

/// Conversations read by the check (one page, so an odd record among them is found).
const PAGE: u32 = 50;

/// The plain-text check: how many conversations, and the newest message of the newest one.
pub async fn check(session: &Session) -> Result<()> {
    let client = &session.client;
    let page = client
        .list_conversations(0, PAGE, &crate::api::ListFilter::default())
        .await
        .wrap_err_with(|| format!("cannot list conversations at {}", client.http().base_url()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Connected to {} ({})",
        session.label,
        client.http().base_url()
    )?;
    writeln!(
        out,
        "Conversations: {}",
        page.total.map_or("?".into(), |t| t.to_string())
    )?;
    let Some(newest) = page.items.first() else {
        writeln!(out, "No conversations yet.")?;
        return skipped(&mut out, client);
    };
    let detail = client.get_conversation(&newest.id, 1).await?;
    let who = sanitize_line(newest.counterparty.reply_address());
    writeln!(out, "Newest conversation: {who}")?;
    if let Some(message) = detail.messages.last() {
        let body: String = sanitize_line(&message.body).chars().take(120).collect();
        writeln!(
            out,
            "Newest message ({:?}, {}): {body}",
            message.direction, message.sent_at
        )?;
    }
    skipped(&mut out, client)
}

/// Says which records could not be read (the rest were); nothing when all were.
fn skipped(out: &mut impl Write, client: &Client) -> Result<()> {
    for line in client.http().skips().report_lines() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
