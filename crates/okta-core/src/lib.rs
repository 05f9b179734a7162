//! The HTTP core of Okta.PowerShell.
//!
//! Callers (the FFI crate, Rust tests, benchmarks) build a [`Config`], open a session
//! ([`Client::new`]) with it, and [`Client::send`] [`ApiRequest`]s. Sessions of the same org
//! share one connection pool and one rate-limit governor ([`Org`]), whatever their credentials. Everything PowerShell- or FFI-specific lives
//! elsewhere; this crate only speaks HTTP and Okta.

pub mod auth;
mod cancel;
mod client;
mod clock;
mod config;
mod error;
mod governor;
mod link;
mod org;
mod paging;
mod rate_limit_headers;
mod request;
pub mod retry;
pub mod setting_sources;
mod runtime;

pub use cancel::CancelSignal;
pub use client::{ApiResponse, Client};
pub use config::{AuthorizationMode, Config, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_RETRIES};
pub use error::{ApiError, Delivery, Error, ErrorCause, LostAnswer, TransportKind};
pub use link::next_link;
pub use org::Org;
pub use paging::{EndAt, PageStream, is_empty_json_array};
pub use request::ApiRequest;
pub use retry::{Attempt, AttemptObserver, Logged, Next, NoObserver};
pub use runtime::runtime;

/// `User-Agent` product token, e.g. `okta-powershell-rs/0.1.0`.
pub const USER_AGENT_PRODUCT: &str = concat!("okta-powershell-rs/", env!("CARGO_PKG_VERSION"));
