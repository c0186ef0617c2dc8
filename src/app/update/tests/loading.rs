//! Loading states and counts (issue 15, item 8): a list whose first page is on its way says
//! "loading…" rather than a count of 0, and the calls count follows the poll.

use super::calls::{call, calls_view};
use super::*;
use crate::api::CallSummary;
use crate::app::view::counts::list_count;

fn calls_count(s: &AppState) -> String {
    list_count(
        s.calls.total,
        s.calls.items.len(),
        s.calls.next.as_ref(),
        &s.calls.load,
    )
}

fn answer_calls(s: &mut AppState, effects: &[Effect], items: Vec<CallSummary>, total: u64) {
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadCalls { request, .. } => Some(*request),
            _ => None,
        })
        .expect("a calls request");
    update(
        s,
        Action::CallsLoaded {
            request,
            offset: 0,
            result: Ok(Page {
                items,
                next: NextPage::End,
                total: Some(total),
                gaps: Vec::new(),
            }),
        },
    );
}

#[test]
fn the_first_calls_page_on_its_way_is_loading_not_zero() {
    let mut s = state();
    let effects = cmd(&mut s, Command::Calls);
    assert_eq!(calls_count(&s), "loading…");
    answer_calls(&mut s, &effects, vec![call("1", "completed", 5)], 1);
    assert_eq!(calls_count(&s), "1");
    // A filter starts the list over: loading again, not 0.
    cmd(&mut s, Command::StatusFilter);
    assert_eq!(calls_count(&s), "loading…");
}

#[test]
fn the_calls_count_follows_the_poll() {
    let mut s = state();
    let effects = cmd(&mut s, Command::Calls);
    let first = vec![call("1", "completed", 5), call("2", "completed", 9)];
    answer_calls(&mut s, &effects, first, 2);
    assert_eq!(calls_count(&s), "2");
    let poll = update(
        &mut s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(11),
        },
    );
    let newer = vec![
        call("3", "in-progress", 0),
        call("1", "completed", 5),
        call("2", "completed", 9),
    ];
    answer_calls(&mut s, &poll, newer, 3);
    assert_eq!(s.calls.items.len(), 3);
    assert_eq!(
        calls_count(&s),
        "3",
        "the count is the poll's, not the first page's"
    );
}

#[test]
fn the_conversations_count_says_loading_until_the_first_page() {
    let mut s = state();
    update(&mut s, Action::Start);
    let list = &s.inbox.list;
    let count = list_count(list.total, list.items.len(), list.next.as_ref(), &list.load);
    assert_eq!(count, "loading…");
    let s = calls_view(Vec::new());
    assert_eq!(calls_count(&s), "0", "an empty answer is a real 0");
}
