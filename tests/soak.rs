//! A short soak in the test suite: every fault on, a scripted user, and the guarantees checked;
//! then the same soak against deliberately broken clients, each of which must fail the check
//! that is there to catch it. The 60-second run is `switchboard soak` (see the README's
//! Reliability section).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use switchboard::soak::{self, Breakage, Check, SoakOptions, SoakReport};

/// Every run here is this long, with this seed: the broken runs differ from the passing one
/// only in their client.
async fn soak(breakage: Option<Breakage>) -> SoakReport {
    soak::run(SoakOptions {
        duration: Duration::from_secs(6),
        seed: 3,
        breakage,
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_with_every_fault_keeps_every_guarantee() {
    let started = std::time::Instant::now();
    let report = soak(None).await;
    eprintln!("{report}\n(took {:?})\n", started.elapsed());
    assert!(report.passed(), "{report}");
    assert!(report.requests > 40, "{report}");
    assert!(report.faults_injected > 0, "{report}");
    assert!(report.down_at_stop, "{report}");
    assert!(report.recovered_after.is_some(), "{report}");
    assert!(report.messages_checked > 0, "{report}");
    assert!(report.conversations_checked > 0, "{report}");
    assert!(report.ambiguous_sends >= 3, "{report}");
    assert!(report.replies_confirmed > 0, "{report}");
    assert!(report.metadata_saves > 0, "{report}");
    assert!(report.frames > 100, "{report}");
}

/// The check each broken client must fail (it may fail others too).
fn caught_by(breakage: Breakage) -> Check {
    match breakage {
        Breakage::DropNewest => Check::CaughtUp,
        Breakage::DropFirst => Check::NothingLost,
        Breakage::Duplicate => Check::UniqueAndOrdered,
        Breakage::ResendOnUnknown => Check::SentOnce,
        Breakage::StayOffline => Check::Recovered,
        Breakage::ChangeBody => Check::SameContent,
        Breakage::DropMetadata => Check::ListMatches,
    }
}

/// All broken runs at once (they mostly wait on timers), each on its own sandbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_broken_client_fails_the_soak() {
    let runs = Breakage::ALL.map(|b| soak(Some(b)));
    let reports = futures::future::join_all(runs).await;
    let mut wrong = Vec::new();
    for (breakage, report) in Breakage::ALL.into_iter().zip(reports) {
        eprintln!("{report}\n");
        let expected = caught_by(breakage);
        if report.passed() || !report.failed(expected) {
            wrong.push(format!("{breakage:?} did not fail {expected:?}:\n{report}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
