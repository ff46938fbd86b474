//! `wasm-split-step IN.wasm OUT_DIR MAIN_JS_NAME`
//!
//! Splits the board's wasm, as the linker wrote it (built with
//! `-Clink-args=--emit-relocs`, before wasm-bindgen or wasm-opt touch it), at
//! the functions marked `#[lazy]`. Writes `OUT_DIR/<stem>_split.wasm` (the
//! main module, for `wasm-bindgen --keep-lld-exports`), one `split_*.wasm`
//! per lazy function (and `chunk_*.wasm` for code several of them share), and
//! `OUT_DIR/__wasm_split.js`, the loader, which imports `initSync` from
//! `./MAIN_JS_NAME`.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir, main_js] = args.as_slice() else {
        eprintln!("usage: wasm-split-step IN.wasm OUT_DIR MAIN_JS_NAME");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wasm-split-step: cannot read {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out_dir = Path::new(out_dir);
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("wasm-split-step: cannot create {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    let stem = Path::new(input).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "app".into());
    let main_out: PathBuf = out_dir.join(format!("{stem}_split.wasm"));
    let main_module = format!("./{main_js}");
    let mut options = wasm_split_cli_support::Options::new(&bytes);
    options.output_dir = out_dir;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = "./__wasm_split.js";
    match wasm_split_cli_support::transform(options) {
        Ok(split) => {
            println!("main: {}", main_out.display());
            for m in &split.split_modules {
                println!("split: {}", m.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-split-step: {e:?}");
            ExitCode::FAILURE
        }
    }
}
