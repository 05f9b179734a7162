//! The settings kept outside scripts (okta.yaml files, OKTA_CLIENT_* variables), for the configuration the
//! glue creates for each runspace. The reading is okta-core's (`setting_sources`); this only exports it.

use crate::exports::FfiError;
use crate::panic_guard::guard;
use interoptopus::ffi;
use okta_core::setting_sources::{SettingSources, read};

/// What `~/.okta/okta.yaml`, `./okta.yaml` and the `OKTA_CLIENT_*` environment variables of this process set, as
/// JSON in okta-core's configuration names plus `sources` (names) and `problems` (never values).
#[ffi]
pub fn okta_setting_sources() -> ffi::Result<ffi::Vec<u8>, FfiError> {
    guard(|| {
        let settings = read(&SettingSources::of_this_process());
        ffi::Ok(ffi::Vec::from_vec(serde_json::to_vec(&settings).unwrap_or_else(|_| b"{}".to_vec())))
    })
}
