//! Client-side pacing: requests spaced evenly so a client never goes past a rate it was told to
//! keep under (a leaky bucket), instead of finding the server's limit with 429s.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Spaces requests at least `1 / per_second` apart, across every task using the client.
#[derive(Debug)]
pub struct Pacer {
    gap: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// `None` for a rate that is not positive (no pacing).
    pub fn new(per_second: f64) -> Option<Self> {
        let gap = Duration::try_from_secs_f64(1.0 / per_second).ok()?;
        (per_second > 0.0).then(|| Self {
            gap,
            next: Mutex::new(None),
        })
    }

    /// Waits for this request's slot.
    pub async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.gap);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_are_spaced_by_the_rate() {
        let pacer = std::sync::Arc::new(Pacer::new(10.0).unwrap());
        let start = Instant::now();
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let pacer = pacer.clone();
                tokio::spawn(async move {
                    pacer.wait().await;
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap() - start);
        }
        times.sort();
        // Five requests at 10 per second: slots at 0, 100, 200, 300 and 400 ms. Only the lower
        // bound is checked (a busy machine can only make it later).
        assert!(times[4] >= Duration::from_millis(399), "{times:?}");
        assert!(times[1] >= Duration::from_millis(99), "{times:?}");
        assert!(Pacer::new(0.0).is_none());
    }
}
