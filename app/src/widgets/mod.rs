//! Pieces the screens are made of: dialogs, load states, the case actions,
//! note results, the knowledge panel, labels and the HTML renderers' glue.

pub mod actions;
pub mod dialog;
pub mod format;
pub mod knowledge;
pub mod load;
pub mod markup;
pub mod notes;
