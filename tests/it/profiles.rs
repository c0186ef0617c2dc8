//! Profiles from a configuration file connect where they say, with the key they name.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use switchboard::sandbox::{self, SandboxConfig};
use switchboard::session::{Choice, Session};

fn config_file(text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "switchboard-profiles-{}-{}.toml",
        std::process::id(),
        text.len()
    ));
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn a_profile_connects_to_its_base_url_with_its_key_and_mode() {
    let handle = sandbox::spawn(SandboxConfig::quiet(2)).await.unwrap();
    let text = format!(
        "[profiles.work]\nbase_url = \"{}\"\napi_key = \"{}\"\nread_only = true\n",
        handle.url(),
        handle.api_key()
    );
    let config = switchboard::config::load(Some(&config_file(&text))).unwrap();
    let choice = Choice {
        profile: Some("work".into()),
        ..Choice::default()
    };
    let session = Session::connect(&choice, &config).await.unwrap();
    assert!(session.read_only && !session.demo);
    let page = session
        .client
        .list_conversations(0, 5, &switchboard::api::ListFilter::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
}

#[tokio::test]
async fn a_missing_profile_or_key_is_a_clear_error() {
    let text = "[profiles.work]\nbase_url = \"http://127.0.0.1:9\"\napi_key_env = \"SWITCHBOARD_TEST_NO_SUCH_VAR\"\n";
    let config = switchboard::config::load(Some(&config_file(text))).unwrap();
    let unknown = Choice {
        profile: Some("nope".into()),
        ..Choice::default()
    };
    let error = Session::connect(&unknown, &config)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(error, "there is no profile \"nope\"; profiles: demo, work");
    let keyless = Choice {
        profile: Some("work".into()),
        ..Choice::default()
    };
    let error = Session::connect(&keyless, &config)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "profile \"work\" needs an API key: set SWITCHBOARD_TEST_NO_SUCH_VAR or api_key in the config"
    );
}

/// Connects with profile `name` of a config file holding `table` (no cache) and lists the first
/// `limit` conversations.
async fn connect_and_list(
    table: &str,
    name: &str,
    limit: u32,
) -> (Session, Vec<switchboard::api::Conversation>) {
    let config = switchboard::config::load(Some(&config_file(table))).unwrap();
    let choice = Choice {
        profile: Some(name.into()),
        no_cache: true,
        ..Choice::default()
    };
    let session = Session::connect(&choice, &config).await.unwrap();
    let filter = switchboard::api::ListFilter::default();
    let page = session
        .client
        .list_conversations(0, limit, &filter)
        .await
        .unwrap();
    (session, page.items)
}

#[tokio::test]
async fn an_anyreach_profile_connects_to_anyreach_with_its_key() {
    let handle = sandbox::spawn(SandboxConfig::quiet(2)).await.unwrap();
    let text = format!(
        "[profiles.review]\nprovider = \"anyreach\"\nbase_url = \"{}\"\napi_key = \"{}\"\n",
        handle.url(),
        sandbox::ANYREACH_KEY
    );
    let (session, items) = connect_and_list(&text, "review", 5).await;
    assert_eq!(session.client.name(), "Anyreach");
    assert!(session.label.starts_with("Anyreach"));
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|c| c.session.is_some()));
}

#[tokio::test]
async fn a_chatwoot_profile_connects_to_its_account_with_its_token() {
    let handle = sandbox::spawn(SandboxConfig::quiet(2)).await.unwrap();
    let text = format!(
        "[profiles.desk]\nprovider = \"chatwoot\"\nbase_url = \"{}\"\naccount_id = 1\napi_key = \"{}\"\n",
        handle.url(),
        sandbox::CHATWOOT_TOKEN
    );
    let (session, items) = connect_and_list(&text, "desk", 25).await;
    assert_eq!(session.client.name(), "Chatwoot");
    assert!(!items.is_empty());
    assert!(items.iter().all(|c| c.desk.is_some()));
}
