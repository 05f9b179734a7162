//! OAuth 2.0 for the core: where the `Authorization` of each request comes from.
//!
//! # Precedence
//! 1. An explicit `accessToken` in the configuration: `Authorization: Bearer <token>`, as is.
//! 2. `authorizationMode` `SSWS`: the API token, whatever else is set.
//! 3. A private key (`clientId`, `scopes`, `privateKey`, optional `privateKeyId`; or
//!    `authorizationMode` `PrivateKey`, which then requires them): client credentials with a
//!    private_key_jwt assertion (see [`assertion`]); the token is fetched once per configuration
//!    and renewed shortly before it expires and once after a 401.
//! 4. A user sign-in established with the device flow ([`device`]) or interactively
//!    ([`interactive`]) for the same org, `clientId` and `scopes`: its token, renewed with the
//!    refresh token when `offline_access` gave one.
//! 5. The API token: `Authorization: SSWS <token>` (or `apiKeyPrefix`).
//!
//! With `useDpop` (or when the token endpoint answers `use_dpop_nonce`/`invalid_dpop_proof`)
//! tokens are DPoP-bound ([`dpop`]): `Authorization: DPoP <token>` plus a `DPoP` proof.
//!
//! Tokens, refresh tokens, assertions and keys never appear in Debug output or error text.

pub mod assertion;
pub mod cache;
pub mod device;
pub mod dpop;
pub mod interactive;
pub mod keys;
pub mod token_source;

use std::sync::Arc;

use crate::client::Client;
use crate::config::{AuthorizationMode, Config};
use crate::error::Error;
use crate::runtime::runtime;

pub use cache::TokenKey;
pub use device::{
    DeviceAuthorization, start_device_authorization, start_device_authorization_blocking,
};
pub use interactive::{InteractiveAuthorization, start_interactive, start_interactive_blocking};
pub use keys::SigningKey;
pub use token_source::{Authorization, TokenSource};
use token_source::OAuthPolicy;

/// How a client authenticates, decided once per configuration (the key is parsed once).
pub(crate) enum AuthPlan {
    /// The configuration's own header (explicit access token, API token) or none.
    Static,
    ClientCredentials {
        key: TokenKey,
        signing: Arc<SigningKey>,
        key_id: Option<String>,
    },
    /// A device-flow sign-in if one exists for this key, else the static header.
    Session(TokenKey),
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn scopes(config: &Config) -> Vec<String> {
    let mut scopes: Vec<String> = config
        .scopes
        .iter()
        .flat_map(|scope| scope.split_whitespace())
        .map(str::to_owned)
        .collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

fn org(config: &Config) -> String {
    config
        .base_url
        .trim()
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

/// The key a device-flow sign-in is stored under.
pub(crate) fn session_key(config: &Config) -> Result<TokenKey, Error> {
    let client_id = non_empty(&config.client_id).ok_or_else(|| {
        Error::Config("ClientId is empty: set the client id of your OIDC app".into())
    })?;
    let scopes = scopes(config);
    if scopes.is_empty() {
        return Err(Error::Config(
            "Scope is empty: name the scopes to request, e.g. okta.users.read".into(),
        ));
    }
    Ok(TokenKey {
        org: org(config),
        client_id: client_id.to_owned(),
        scopes,
        key_thumbprint: None,
        use_dpop: config.use_dpop,
    })
}

pub(crate) fn plan(config: &Config) -> Result<AuthPlan, Error> {
    if non_empty(&config.access_token).is_some()
        || config.authorization_mode == Some(AuthorizationMode::Ssws)
    {
        return Ok(AuthPlan::Static);
    }
    let private_key = non_empty(&config.private_key);
    let wants_key = config.authorization_mode == Some(AuthorizationMode::PrivateKey)
        || (config.authorization_mode.is_none()
            && private_key.is_some()
            && non_empty(&config.client_id).is_some());
    if wants_key {
        let private_key = private_key.ok_or_else(|| {
            Error::Config("AuthorizationMode is PrivateKey but PrivateKey is empty".into())
        })?;
        let signing = SigningKey::parse(private_key)?;
        let mut key = session_key(config)?;
        key.key_thumbprint = Some(signing.thumbprint());
        return Ok(AuthPlan::ClientCredentials {
            key,
            signing: Arc::new(signing),
            key_id: non_empty(&config.private_key_id).map(str::to_owned),
        });
    }
    if non_empty(&config.client_id).is_some() && !scopes(config).is_empty() {
        return Ok(AuthPlan::Session(session_key(config)?));
    }
    Ok(AuthPlan::Static)
}

impl AuthPlan {
    /// The token source serving this configuration now, if any.
    pub(crate) fn source(&self, client: &Client) -> Result<Option<Arc<TokenSource>>, Error> {
        match self {
            AuthPlan::Static => Ok(None),
            AuthPlan::Session(key) => Ok(cache::get(key)),
            AuthPlan::ClientCredentials {
                key,
                signing,
                key_id,
            } => cache::get_or_insert_with(key, || {
                TokenSource::new(
                    client.org().clone(),
                    OAuthPolicy::of(client.config()),
                    client.base_url(),
                    &key.client_id,
                    &key.scopes,
                    token_source::Grant::ClientCredentials {
                        key: signing.clone(),
                        key_id: key_id.clone(),
                    },
                    key.use_dpop,
                )
            })
            .map(Some),
        }
    }

    pub(crate) fn key(&self) -> Option<&TokenKey> {
        match self {
            AuthPlan::Static => None,
            AuthPlan::Session(key) | AuthPlan::ClientCredentials { key, .. } => Some(key),
        }
    }
}

/// The token source that serves `config` (a client-credentials source is created on first
/// use; a sign-in exists only after the device flow). `None`: static headers apply.
pub fn token_source(config: &Config) -> Result<Option<Arc<TokenSource>>, Error> {
    Client::new(config.clone())?.token_source()
}

/// Invoke-OktaRevokeAccessToken: revokes the access and refresh tokens of `config`'s token
/// source at `/oauth2/v1/revoke` and drops the source, so neither token is sent again. An explicit
/// `accessToken` with a `clientId` (the official module's shape) is revoked instead; the caller
/// then clears the setting. `Ok(false)`: there was nothing to revoke.
pub async fn revoke(client: &Client) -> Result<bool, Error> {
    let config = client.config();
    if let (Some(token), Some(client_id)) = (
        non_empty(&config.access_token),
        non_empty(&config.client_id),
    ) {
        let source = TokenSource::new(
            client.org().clone(),
            OAuthPolicy::of(config),
            client.base_url(),
            client_id,
            &[],
            token_source::Grant::Session,
            false,
        )?;
        source.revoke_access_token(token).await?;
        return Ok(true);
    }
    let plan = plan(config)?;
    let Some(key) = plan.key() else {
        return Ok(false);
    };
    let Some(source) = cache::remove(key) else {
        return Ok(false);
    };
    source.revoke().await?;
    Ok(true)
}

/// Invoke-OktaRemoveAccessToken: forgets the tokens locally, no request. `Ok(false)`: none.
pub async fn remove(client: &Client) -> Result<bool, Error> {
    let plan = plan(client.config())?;
    let Some(source) = plan.key().and_then(cache::remove) else {
        return Ok(false);
    };
    source.forget().await;
    Ok(true)
}

/// What authenticates `config`'s requests now, without any secret: `mode` (`static`,
/// `clientCredentials`, `session`), `signedIn` (a token source exists), `hasToken` (it holds a
/// usable token), `dpop` (the source's DPoP key thumbprint, if any).
pub async fn status(client: &Client) -> Result<TokenStatus, Error> {
    let plan = plan(client.config())?;
    let mode = match plan {
        AuthPlan::Static => "static",
        AuthPlan::ClientCredentials { .. } => "clientCredentials",
        AuthPlan::Session(_) => "session",
    };
    let source = plan.key().and_then(cache::get);
    let has_token = match &source {
        Some(source) => source.has_token().await,
        None => false,
    };
    Ok(TokenStatus {
        mode,
        signed_in: source.is_some(),
        has_token,
        dpop: source.as_ref().and_then(|source| source.dpop_thumbprint()),
    })
}

/// What authenticates a session's requests now; never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStatus {
    /// `static`, `clientCredentials` or `session`.
    pub mode: &'static str,
    /// A token source exists.
    pub signed_in: bool,
    /// It holds a usable token.
    pub has_token: bool,
    /// The source's DPoP key thumbprint, if any.
    pub dpop: Option<String>,
}

pub fn status_blocking(client: &Client) -> Result<TokenStatus, Error> {
    block_on("status_blocking", status(client))
}

pub fn revoke_blocking(client: &Client) -> Result<bool, Error> {
    block_on("revoke_blocking", revoke(client))
}

pub fn remove_blocking(client: &Client) -> Result<bool, Error> {
    block_on("remove_blocking", remove(client))
}

/// Runs an auth future for a synchronous caller (the FFI), refusing on a runtime thread, where it would deadlock.
pub(crate) fn block_on<T>(
    name: &str,
    future: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Request(format!(
            "{name} was called on an async runtime thread; await the async function instead"
        )));
    }
    runtime().block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_KEY: &str = include_str!("../../tests/auth/keys/ec_sec1.pem");

    fn config() -> Config {
        Config {
            base_url: "https://MyOrg.okta.com/".into(),
            client_id: Some("0oa1".into()),
            scopes: vec!["okta.users.read openid".into(), "openid".into()],
            ..Config::default()
        }
    }

    #[test]
    fn scopes_split_sorted_deduplicated_and_org_normalised() {
        let key = session_key(&config()).unwrap();
        assert_eq!(key.scopes, ["okta.users.read", "openid"]);
        assert_eq!(key.org, "https://myorg.okta.com");
        assert_eq!(key.key_thumbprint, None);
    }

    #[test]
    fn precedence_access_token_then_ssws_mode_then_key_then_session() {
        let with_key = Config {
            private_key: Some(EC_KEY.into()),
            ..config()
        };
        let AuthPlan::ClientCredentials { key, signing, .. } = plan(&with_key).unwrap() else {
            panic!("a private key means client credentials");
        };
        assert_eq!(key.key_thumbprint, Some(signing.thumbprint()));

        let explicit = Config {
            access_token: Some("at".into()),
            ..with_key.clone()
        };
        assert!(matches!(plan(&explicit).unwrap(), AuthPlan::Static));
        let ssws = Config {
            authorization_mode: Some(AuthorizationMode::Ssws),
            ..with_key.clone()
        };
        assert!(matches!(plan(&ssws).unwrap(), AuthPlan::Static));
        let bearer = Config {
            authorization_mode: Some(AuthorizationMode::Bearer),
            ..with_key
        };
        assert!(matches!(plan(&bearer).unwrap(), AuthPlan::Session(_)));
        assert!(matches!(plan(&config()).unwrap(), AuthPlan::Session(_)));
        let no_client = Config {
            client_id: None,
            ..config()
        };
        assert!(matches!(plan(&no_client).unwrap(), AuthPlan::Static));
    }

    #[test]
    fn private_key_mode_without_a_key_is_a_config_error() {
        let config = Config {
            authorization_mode: Some(AuthorizationMode::PrivateKey),
            ..config()
        };
        let Err(Error::Config(message)) = plan(&config) else {
            panic!("expected a config error");
        };
        assert!(message.contains("PrivateKey"), "{message}");
    }
}
