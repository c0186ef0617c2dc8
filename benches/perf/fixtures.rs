//! Generated inboxes of any size, built through `update` like the app builds its state.

use chrono::{TimeDelta, TimeZone, Utc};
use switchboard::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Direction, Message, Metadata,
    NextPage, Page, Participant, Timestamp,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::effect::Effect;
use switchboard::app::state::{Account, AppState, Settings};
use switchboard::app::update::update;
use switchboard::cache::{Cache, Span};
use switchboard::rng::Rng;

pub fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

const WORDS: &[&str] = &[
    "order",
    "refund",
    "delivery",
    "tomorrow",
    "thanks",
    "please",
    "tracking",
    "number",
    "appointment",
    "Tuesday",
    "address",
    "card",
    "payment",
    "sorry",
    "great",
    "問題",
    "café",
    "👍",
    "return",
    "label",
    "exchange",
    "size",
    "schedule",
    "confirm",
    "invoice",
    "balance",
];

/// A message body of 3 to 60 words (some with a second paragraph).
pub fn body(rng: &mut Rng) -> String {
    let words = 3 + rng.index(58);
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(if i == 25 && rng.unit() < 0.3 {
                '\n'
            } else {
                ' '
            });
        }
        out.push_str(WORDS[rng.index(WORDS.len())]);
    }
    out
}

pub fn conversation(n: usize, rng: &mut Rng) -> Conversation {
    let minutes = i64::try_from(n).unwrap() * 7 + 1;
    let metadata = n.is_multiple_of(3).then(|| {
        serde_json::json!({"status": "open", "assignee": "dana", "priority": n % 5})
            .as_object()
            .unwrap()
            .clone()
    });
    Conversation {
        id: ConversationId(format!("conv_{n:08}")),
        counterparty: Counterparty::Person(Participant {
            address: format!("+1555{n:07}"),
            name: (!n.is_multiple_of(4)).then(|| format!("Customer {n}")),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: Some("agt_1".into()),
        channel: Some("sms".into()),
        last_activity_at: Some(now() - TimeDelta::minutes(minutes)),
        preview: Some(body(rng)),
        message_count: Some(20),
        metadata: Metadata(metadata),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

/// `count` messages of one conversation, a minute apart, ending at `end`.
pub fn messages(conv: usize, count: usize, end: Timestamp, rng: &mut Rng) -> Vec<Message> {
    (0..count)
        .map(|i| {
            let back = i64::try_from(count - i).unwrap();
            let inbound = rng.unit() < 0.5;
            let (us, them) = ("+14155550100".to_owned(), format!("+1555{conv:07}"));
            let (direction, from, to) = if inbound {
                (Direction::Inbound, them, us)
            } else {
                (Direction::Outbound, us, them)
            };
            let at = end - TimeDelta::minutes(back);
            Message::new(format!("msg_{conv:06}_{i:07}"), direction, body(rng), at)
                .with_channel("sms")
                .with_from(from)
                .with_to(to)
        })
        .collect()
}

/// An app just started at `width` x `height` (the first page asked for, not answered); returns
/// the request of that page.
pub fn fresh(width: u16, height: u16) -> (AppState, switchboard::app::paging::RequestId) {
    let account = Account {
        label: "bench".into(),
        demo: true,
    };
    let settings = Settings {
        list_poll: std::time::Duration::from_secs(3600),
        thread_poll: std::time::Duration::from_secs(3600),
        list_poll_max: std::time::Duration::from_secs(3600),
        thread_poll_max: std::time::Duration::from_secs(3600),
        ..Settings::default()
    };
    let mut state = AppState::new(account, now(), switchboard::ui::time::Zone::utc(), settings);
    update(&mut state, Action::Resize { width, height });
    let effects = update(&mut state, Action::Start);
    let Some(Effect::LoadConversations { request, .. }) = effects.first().cloned() else {
        panic!("the app starts with the list")
    };
    (state, request)
}

/// An app with `conversations` in its list (all loaded) at `width` x `height`.
pub fn inbox(conversations: usize, width: u16, height: u16) -> AppState {
    let mut rng = Rng::seeded(9);
    let (mut state, request) = fresh(width, height);
    let items = (0..conversations)
        .map(|n| conversation(n, &mut rng))
        .collect();
    update(
        &mut state,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result: Ok(Page {
                items,
                next: NextPage::End,
                total: Some(conversations as u64),
                gaps: Vec::new(),
            }),
        },
    );
    state.sync.last_success = Some(now());
    state
}

/// Opens the selected conversation and gives it `count` messages (the whole history). With
/// `from_top` the user went to the first message (nothing is let go); else they read the end.
pub fn open_with(state: &mut AppState, count: usize, seed: u64, from_top: bool) {
    let mut rng = Rng::seeded(seed);
    let effects = update(state, Action::Command(Command::Open));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadThread { request, .. } => Some(*request),
            _ => None,
        })
        .expect("opening loads the thread");
    let id = state.inbox.open.clone().unwrap();
    if from_top && let Some(thread) = state.inbox.threads.get_mut(&id) {
        thread.seek_top = true;
    }
    let conv = usize::try_from(seed).unwrap_or(0);
    let end = state
        .conversation(&id)
        .and_then(|c| c.last_activity_at)
        .unwrap_or_else(now);
    update(
        state,
        Action::ThreadLoaded {
            request,
            conversation: id,
            result: Ok(Page {
                items: messages(conv, count, end, &mut rng),
                next: NextPage::End,
                total: None,
                gaps: Vec::new(),
            }),
            cached: false,
        },
    );
}

/// A cache file holding 10,000 conversations with 20 messages each.
pub fn fill_cache(path: &std::path::Path) {
    let (cache, _) = Cache::open(path);
    cache
        .call_blocking(|db| {
            let mut rng = Rng::seeded(3);
            let convs: Vec<_> = (0..10_000).map(|n| conversation(n, &mut rng)).collect();
            db.save_conversations(&convs)?;
            for (n, conv) in convs.iter().enumerate() {
                let end = conv.last_activity_at.unwrap();
                let messages = messages(n, 20, end, &mut rng);
                db.record(&conv.id, &messages, &Span::Latest { end: true })?;
            }
            Ok(())
        })
        .unwrap();
    assert!(cache.flush(std::time::Duration::from_secs(120)));
}
