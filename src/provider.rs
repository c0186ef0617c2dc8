//! The providers switchboard speaks, named once: the command line (`--provider`), the config
//! file (`provider = "…"`), the session and `config show` all use [`Provider`], and the
//! environment variables each one reads are named here.
//!
//! Adding a provider adds a variant here (its name is derived for the command line and the
//! config file), then a client in `api/` with its capabilities, a folder in `sandbox/`, and a
//! connection in `session`: the whole recipe is in the crate docs (`lib.rs`).

use clap::ValueEnum;

/// AgentPhone's API key.
pub const API_KEY_ENV: &str = "AGENTPHONE_API_KEY";
/// Anyreach: an organisation key (`ak_…`) or a personal token (`pat_…`) and its organisation.
pub const ANYREACH_KEY_ENV: &str = crate::api::anyreach::API_KEY_ENV;
pub const ANYREACH_ORG_ENV: &str = crate::api::anyreach::ORG_ENV;
/// Chatwoot: the agent's access token, the account, and the instance.
pub const CHATWOOT_TOKEN_ENV: &str = "CHATWOOT_API_TOKEN";
pub const CHATWOOT_ACCOUNT_ENV: &str = "CHATWOOT_ACCOUNT_ID";
pub const CHATWOOT_URL_ENV: &str = "CHATWOOT_URL";
/// Chatwoot's public client API: the API inbox's identifier and the contact's source id.
pub const CHATWOOT_INBOX_ENV: &str = "CHATWOOT_INBOX_IDENTIFIER";
pub const CHATWOOT_CONTACT_ENV: &str = "CHATWOOT_CONTACT_IDENTIFIER";

/// Which provider a session talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Provider {
    /// AgentPhone (SMS, MMS, iMessage threads and calls); key from `AGENTPHONE_API_KEY`.
    #[default]
    #[value(name = "agentphone")]
    AgentPhone,
    /// Anyreach (AI call and chat transcripts, read-only); key from `ANYREACH_API_KEY`, and
    /// `ANYREACH_ORG` for a personal token.
    Anyreach,
    /// Chatwoot (support desk); token from `CHATWOOT_API_TOKEN`, account from
    /// `CHATWOOT_ACCOUNT_ID`, instance from `CHATWOOT_URL` or --base-url.
    Chatwoot,
    /// Chatwoot's public client API as one contact (`CHATWOOT_INBOX_IDENTIFIER`,
    /// `CHATWOOT_CONTACT_IDENTIFIER`, `CHATWOOT_URL`): its conversations, and writing as it.
    ChatwootPublic,
}

impl Provider {
    /// The name on the command line and in the config file (`chatwoot-public`).
    pub fn name(self) -> &'static str {
        match self {
            Self::AgentPhone => "agentphone",
            Self::Anyreach => "anyreach",
            Self::Chatwoot => "chatwoot",
            Self::ChatwootPublic => "chatwoot-public",
        }
    }

    /// The provider a name stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::value_variants()
            .iter()
            .copied()
            .find(|p| p.name() == name)
    }

    /// The environment variable that holds the key of a profile of this provider.
    pub fn key_env(self) -> &'static str {
        match self {
            Self::AgentPhone => API_KEY_ENV,
            Self::Anyreach => ANYREACH_KEY_ENV,
            Self::Chatwoot => CHATWOOT_TOKEN_ENV,
            Self::ChatwootPublic => CHATWOOT_CONTACT_ENV,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_has_one_name_on_the_command_line_and_in_the_config_file() {
        for provider in Provider::value_variants() {
            let clap_name = provider.to_possible_value().unwrap();
            assert_eq!(clap_name.get_name(), provider.name());
            assert_eq!(Provider::from_name(provider.name()), Some(*provider));
        }
        assert_eq!(Provider::from_name("nope"), None);
    }
}
