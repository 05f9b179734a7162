//! The one tokio runtime of the process that all HTTP work runs on.

use once_cell::sync::Lazy;
use tokio::runtime::{Builder, Runtime};

pub(crate) const RUNTIME_THREAD_NAME: &str = "okta-core";

static RUNTIME: Lazy<Runtime> = Lazy::new(|| {
    Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(RUNTIME_THREAD_NAME)
        .enable_all()
        .build()
        // Building only fails when the OS refuses threads or an epoll/kqueue handle, i.e. the
        // process is already out of resources; nothing useful could run after that anyway.
        .expect("okta-core: could not start the tokio runtime")
});

/// The process-wide multi-thread runtime (2 workers named `okta-core`), started on first use.
///
/// Connections of every [`crate::Client`] live on it, so a pooled connection never outlives the
/// runtime that drives it, whatever runtime (or none) the caller uses.
pub fn runtime() -> &'static Runtime {
    &RUNTIME
}
