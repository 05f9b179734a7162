//! The C ABI of Okta.PowerShell.
//!
//! A deliberately small, generic surface: one `okta_send` carries every Management API
//! operation (the request is described by data, not by one export per operation), so the
//! generated C# never changes when Okta adds endpoints. Every export is panic-guarded:
//! interoptopus does not catch panics, and an unwinding panic would abort the user's pwsh.

mod cancellation;
mod envelope;
mod exports;
mod live;
mod pages;
mod panic_guard;
mod sessions;
mod setting_sources;
mod signin;
mod wire;

pub use exports::{
    FfiError, okta_cancel, okta_device_start, okta_interactive_start, okta_last_panic_message, okta_pages_close,
    okta_pages_next, okta_pages_open, okta_selftest_panic, okta_send, okta_send_abandon, okta_send_start, okta_send_wait,
    okta_session_close, okta_session_count, okta_session_open,
    okta_signin_abandon, okta_signin_wait, okta_token_remove, okta_token_revoke, okta_token_status,
};
pub use setting_sources::okta_setting_sources;

use interoptopus::inventory::RustInventory;
use interoptopus::{builtins_vec, function};

/// Everything the C# bindings are generated from.
pub fn inventory() -> RustInventory {
    RustInventory::new()
        .register(builtins_vec!(u8))
        .register(function!(okta_session_open))
        .register(function!(okta_session_close))
        .register(function!(okta_session_count))
        .register(function!(okta_send))
        .register(function!(okta_send_start))
        .register(function!(okta_send_wait))
        .register(function!(okta_send_abandon))
        .register(function!(okta_pages_open))
        .register(function!(okta_pages_next))
        .register(function!(okta_pages_close))
        .register(function!(okta_cancel))
        .register(function!(okta_device_start))
        .register(function!(okta_interactive_start))
        .register(function!(okta_signin_wait))
        .register(function!(okta_signin_abandon))
        .register(function!(okta_token_revoke))
        .register(function!(okta_token_remove))
        .register(function!(okta_token_status))
        .register(function!(okta_last_panic_message))
        .register(function!(okta_selftest_panic))
        .register(function!(okta_setting_sources))
        .validate()
}

/// Name of the native library as the C# side loads it (`libokta_ffi.so`, `okta_ffi.dll`, ...).
pub const NATIVE_LIBRARY_NAME: &str = "okta_ffi";

/// C# namespace of the generated bindings.
pub const BINDINGS_NAMESPACE: &str = "Okta.PowerShell.Native";

/// The pieces of a crossing, for the benches (`benches/crossing.rs`); not part of the C ABI.
#[doc(hidden)]
pub mod bench_support {
    use okta_core::{ApiResponse, Logged};

    /// Envelope parse + session lookup + framing of a canned 200 answer with `body`: what every `okta_send`
    /// does around its HTTP exchange. Returns the framed length.
    pub fn parse_lookup_frame(session: u64, envelope: &[u8], body: &[u8]) -> usize {
        let (client, request) = crate::envelope::parse_request(session, envelope, &[]).expect("a valid envelope and session");
        let logged = Logged {
            result: Ok(ApiResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into()), ("x-okta-request-id".into(), "bench".into())],
                body: body.to_vec(),
                next_uri: None,
                request_id: Some("bench".into()),
            }),
            attempts: Vec::new(),
        };
        drop((client, request));
        crate::envelope::encode_logged(&logged).len()
    }
}
