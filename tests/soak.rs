//! A short soak in the test suite: every fault on, a scripted user, and the guarantees checked.
//! The 60-second run is `switchboard soak` (see the README's Reliability section).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use switchboard::soak::{self, SoakOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_with_every_fault_keeps_every_guarantee() {
    let report = soak::run(SoakOptions {
        duration: Duration::from_secs(8),
        seed: 3,
    })
    .await
    .unwrap();
    assert!(report.requests > 40, "{report}");
    assert!(report.faults_injected > 0, "{report}");
    assert!(report.messages_checked > 0, "{report}");
    assert_eq!(report.panics, 0, "{report}");
    assert_eq!(report.messages_lost, 0, "{report}");
    assert_eq!(report.messages_invented, 0, "{report}");
    assert_eq!(report.replies_sent_twice, 0, "{report}");
}
