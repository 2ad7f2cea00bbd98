//! `warta::clean::clean` on any UTF-8 text: spans stay valid (see
//! `tests/common/mod.rs` for the invariants).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = warta::clean::clean(text);
    common::check_document(text, &doc);
});
