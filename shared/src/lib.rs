//! Pure Rust shared by the edge and the board: the wire formats of the three
//! upstream systems, the Clink signer, and the board's own API types.
//! No I/O; everything here is tested natively.

pub mod access;
pub mod api;
pub mod board;
pub mod clink;
pub mod embed;
pub mod error;
pub mod html;
pub mod markdown;
pub mod media;
pub mod mediation;
pub mod note;
pub mod origins;
pub mod route;
mod open_enum;
pub mod session;
pub mod time;
pub mod transcript;

pub use error::FieldError;
