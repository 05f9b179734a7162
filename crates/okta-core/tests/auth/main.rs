//! okta-core's OAuth: key parsing and JWS signing checked by independent verification, and each
//! flow (client credentials with private_key_jwt, device authorization, refresh, revoke, DPoP)
//! against wiremock, on tokio's paused clock wherever time matters.

mod common;

mod client_credentials;
mod device;
mod dpop;
mod interactive;
mod jwt_verifier;
mod keys;
mod session;
