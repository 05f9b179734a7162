//! okta-core's retry and pacing policies against wiremock and raw TCP servers, on tokio's paused
//! clock: a 60 s rate-limit wait takes no real time and is measured exactly. One test binary with
//! a module per policy.

mod common;

mod governor;
mod oauth;
mod retries;
mod transport;
mod waits;
