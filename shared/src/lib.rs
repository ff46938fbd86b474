//! Pure Rust shared by the edge, the board and the sandbox, in two parts:
//!
//! - [`wire`]: what crosses a boundary — the three upstreams' formats
//!   (mediation backend, note agent, Clink, with the Clink signer), the
//!   board's own API types, the live and embed protocols, sessions, the role
//!   table. Used by the edge, the app and the sandbox.
//! - [`view`]: the board's view logic — filtering, search and sort, the
//!   transcript, markdown and the HTML writer, routes. Used by the app.
//!
//! [`time`] serves both. No I/O; everything here is tested natively.

mod open_enum;
pub mod time;
pub mod view;
pub mod wire;

pub use wire::error::FieldError;
