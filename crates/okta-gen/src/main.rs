//! `cargo run -p okta-gen [-- --check] [--root DIR]`: writes (or, with --check, verifies) every generated file.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    let mut root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--root" => root = args.next().map(PathBuf::from).unwrap_or(root),
            other => {
                eprintln!("okta-gen: unknown argument {other}\nusage: okta-gen [--check] [--root DIR]");
                return ExitCode::from(2);
            }
        }
    }
    let files = match okta_gen::generate(&root) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("okta-gen: {message}");
            return ExitCode::FAILURE;
        }
    };
    let orphans = okta_gen::orphans(&root, &files);
    let mut stale = Vec::new();
    for (relative, text) in &files {
        let path = root.join(relative);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(relative.clone());
            if !check {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("create the folder of a generated file");
                }
                std::fs::write(&path, text).expect("write a generated file");
            }
        }
    }
    if !check {
        for orphan in &orphans {
            let _ = std::fs::remove_file(root.join(orphan));
        }
        println!("okta-gen: {} files, {} rewritten, {} removed", files.len(), stale.len(), orphans.len());
        return ExitCode::SUCCESS;
    }
    if stale.is_empty() && orphans.is_empty() {
        println!("okta-gen: {} generated files are fresh", files.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("okta-gen: stale {stale:?}, no longer generated {orphans:?}: run `cargo run -p okta-gen`");
        ExitCode::FAILURE
    }
}
