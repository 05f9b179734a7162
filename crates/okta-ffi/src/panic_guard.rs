//! Turns panics into values: a silent hook that remembers the message per thread, and a guard
//! that every export runs its body in.

use interoptopus::ffi;
use interoptopus::lang::types::TypeInfo;
use interoptopus::pattern::result::panic_to_result;
use std::cell::{Cell, RefCell};
use std::sync::Once;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while an export runs: only those panics are silenced; others (e.g. in tests of the
    /// rlib) keep the default hook's report.
    static INSIDE_EXPORT: Cell<bool> = const { Cell::new(false) };
}

static INSTALL_HOOK: Once = Once::new();

/// Wraps the panic hook: inside an export, a panic is only recorded for `okta_last_panic_message`
/// instead of being printed to stderr, i.e. into the user's console.
fn install_silent_hook() {
    INSTALL_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !INSIDE_EXPORT.with(Cell::get) {
                return previous(info);
            }
            let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = info.payload().downcast_ref::<String>() {
                s.clone()
            } else {
                "unknown panic payload".to_string()
            };
            let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            LAST_PANIC.with(|slot| *slot.borrow_mut() = Some(format!("{message}{location}")));
        }));
    });
}

/// Runs an export's body; a panic becomes `ffi::Result::Panic` and the process lives on.
pub fn guard<T: TypeInfo, E: TypeInfo>(body: impl FnOnce() -> ffi::Result<T, E>) -> ffi::Result<T, E> {
    install_silent_hook();
    let was_inside = INSIDE_EXPORT.with(|flag| flag.replace(true));
    let result = panic_to_result(body);
    INSIDE_EXPORT.with(|flag| flag.set(was_inside));
    result
}

/// Takes the message of the last panic seen on this thread, if any.
pub fn take_last_panic() -> Option<String> {
    LAST_PANIC.with(|slot| slot.borrow_mut().take())
}
