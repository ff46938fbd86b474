//! What the screens and widgets stand on: the API client, the live
//! connection, the session, navigation, the board's data, the embed bridge,
//! performance marks. No service imports a widget or a screen.

pub mod api;
pub mod attention;
pub mod board_data;
pub mod dead_letters;
pub mod embed;
pub mod live;
pub mod nav;
pub mod perf;
pub mod session;
