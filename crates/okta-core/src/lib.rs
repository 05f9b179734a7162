//! The HTTP core of Okta.PowerShell.
//!
//! Callers (the FFI crate, Rust tests, benchmarks) build a [`Config`], get a pooled [`Client`]
//! for it, and [`Client::send`] [`ApiRequest`]s. Everything PowerShell- or FFI-specific lives
//! elsewhere; this crate only speaks HTTP and Okta.

mod cancel;
mod client;
mod config;
mod error;
mod link;
mod request;
mod runtime;

pub use cancel::CancelSignal;
pub use client::{ApiResponse, Client};
pub use config::Config;
pub use error::{ApiError, Delivery, Error, ErrorCause, LostAnswer, TransportKind};
pub use link::next_link;
pub use request::ApiRequest;
pub use runtime::runtime;

/// `User-Agent` product token, e.g. `okta-powershell-rs/0.1.0`.
pub const USER_AGENT_PRODUCT: &str = concat!("okta-powershell-rs/", env!("CARGO_PKG_VERSION"));
