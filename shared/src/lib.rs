//! Pure Rust shared by the edge, the board and the sandbox, in two parts:
//!
//! - [`wire`]: what crosses a boundary — the three upstreams' formats
//!   (mediation backend, note agent, Clink, with the Clink signer), the
//!   board's own API types, the live and embed protocols, sessions, the role
//!   table. Used by the edge, the app and the sandbox.
//! - [`view`]: the board's view logic — filtering, search and sort, the
//!   label tables of both languages, the HTML writer and every HTML-string
//!   renderer (`view::render`), markdown, routes. Used by the app.
//!
//! [`time`] serves both. No I/O; everything here is tested natively.

// An HTML element left half-written (a `Tag` never given its content) is a
// build error, not a warning.
#![deny(unused_must_use)]

mod open_enum;
pub mod time;
pub mod view;
pub mod wire;

pub use wire::error::FieldError;
