//! Each provider's capabilities against what its client does, over loopback: a capability it
//! lacks is refused as `Unsupported` before anything is sent (or, for the address book, is an
//! empty one); one it has reaches the server (ids that do not exist answer 404, not
//! `Unsupported`). Notes and list filters change what a call sends, not whether it is made, so
//! their own contract tests cover them.

use std::future::Future;

use secrecy::SecretString;
use switchboard::api::anyreach::Anyreach;
use switchboard::api::chatwoot::{Chatwoot, ChatwootPublic};
use switchboard::api::desk::DeskAction;
use switchboard::api::{
    AgentPhone, ApiError, CallFilter, CallId, Client, ConversationId, Metadata, OutgoingMessage,
};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

/// The session's client for every provider, each pointed at `handle` with its own key.
fn clients(handle: &SandboxHandle) -> Vec<Client> {
    let with_key = |key: &str| {
        let mut config = handle.http_config();
        config.api_key = Some(SecretString::from(key.to_owned()));
        config
    };
    let (inbox, contact) = handle.chatwoot_contact(5).unwrap();
    vec![
        AgentPhone::new(handle.http_config()).unwrap().into(),
        Anyreach::new(with_key(sandbox::ANYREACH_KEY))
            .unwrap()
            .into(),
        Chatwoot::new(with_key(sandbox::CHATWOOT_TOKEN), 1)
            .unwrap()
            .into(),
        ChatwootPublic::new(handle.http_config(), &inbox, &contact)
            .unwrap()
            .into(),
    ]
}

/// Whether the call was made: anything but `Unsupported`, success or a server's refusal.
async fn reached<T>(call: impl Future<Output = Result<T, ApiError>>) -> bool {
    !matches!(call.await, Err(ApiError::Unsupported { .. }))
}

#[tokio::test]
async fn every_capability_a_provider_lacks_is_refused_and_every_one_it_has_is_called() {
    let handle = sandbox::spawn(SandboxConfig::quiet(31)).await.unwrap();
    let nope = ConversationId("nope".into());
    let reply = OutgoingMessage {
        to: "+14155550123".into(),
        from_number_id: None,
        body: "Checking in".into(),
        media_urls: Vec::new(),
        reply_to: None,
        private: false,
    };
    for client in clients(&handle) {
        let has = client.capabilities();
        let name = client.name();
        let send = reached(client.send_message(&nope, &reply)).await;
        assert_eq!(send, has.send, "{name}: send");
        let typing = reached(client.send_typing(&nope)).await;
        assert_eq!(typing, has.typing, "{name}: typing");
        let edit = reached(client.update_metadata(&nope, &Metadata(None))).await;
        assert_eq!(edit, has.edit_metadata, "{name}: metadata");
        let desk = reached(client.desk_action(&nope, &DeskAction::AssignToMe)).await;
        assert_eq!(desk, has.desk_actions, "{name}: desk actions");
        let list = reached(client.list_calls(0, 5, &CallFilter::default())).await;
        let one = reached(client.get_call(&CallId("nope".into()))).await;
        assert_eq!((list, one), (has.calls, has.calls), "{name}: calls");
        let live = reached(client.stream_transcript(&CallId("nope".into()), |_| {})).await;
        assert_eq!(live, has.live_transcript, "{name}: live transcript");
        let book = client.list_contacts(0, 5).await.unwrap();
        assert_eq!(!book.items.is_empty(), has.contacts, "{name}: contacts");
    }
}
