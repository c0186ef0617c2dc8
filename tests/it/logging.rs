//! What the log file gets at the default level: a request that failed and was retried is a
//! warning with its status, so the log is not empty while the screen shows 503s.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard::api::AgentPhone;
use switchboard::sandbox::{self, Fault, FaultRule, SandboxConfig};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_retried_503_is_logged_as_a_warning_at_the_default_level() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    handle.push_fault(FaultRule::next(Fault::Status(503), 1).on_path("/v1/conversations"));
    let mut config = handle.http_config();
    config.retry.base_delay = Duration::from_millis(10);
    let client = AgentPhone::new(config).unwrap();
    let page = client.list_conversations(0, 5).await.unwrap();
    assert!(!page.items.is_empty(), "the retry succeeded");
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let line = log.lines().find(|l| l.contains("503")).unwrap_or_default();
    assert!(
        line.contains("WARN") && line.contains("/v1/conversations"),
        "log:\n{log}"
    );
    assert!(
        !log.contains("limit="),
        "query values stay out of the log:\n{log}"
    );
}
