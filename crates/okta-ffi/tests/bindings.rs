//! The committed C# bindings must be exactly what interoptopus generates from the current exports.
//! Regenerate with: OKTA_BLESS_BINDINGS=1 cargo test -p okta-ffi --test bindings

use interoptopus_csharp::RustLibrary;
use interoptopus_csharp::dispatch::Dispatch;
use std::path::PathBuf;

const GENERATED_FILE: &str = "Interop.cs";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../powershell/glue/Native/Interop.g.cs")
}

fn generate() -> String {
    let output = RustLibrary::builder(okta_ffi::inventory())
        .dll_name(okta_ffi::NATIVE_LIBRARY_NAME)
        .dispatch(Dispatch::single_file(okta_ffi::BINDINGS_NAMESPACE))
        .build()
        .process()
        .expect("interoptopus_csharp generates bindings for the inventory");
    output.buffer(GENERATED_FILE).expect("single-file dispatch writes Interop.cs").clone()
}

#[test]
fn committed_csharp_bindings_are_fresh() {
    let fresh = generate();
    let path = committed_path();
    if std::env::var_os("OKTA_BLESS_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write the generated bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: regenerate it with `OKTA_BLESS_BINDINGS=1 cargo test -p okta-ffi --test bindings` and commit it",
        path.display()
    );
}
