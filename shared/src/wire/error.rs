//! The one error type for bad input: which field, and what was wrong with it.

use serde::{Deserialize, Serialize};

/// Bad input, naming the field (a JSON path such as `data[0].callStatus`, a
/// query parameter or a setting) and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }

    /// Prefixes the field with its parent, e.g. `turns[3]` + `script`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = if self.field.is_empty() {
            parent.to_owned()
        } else if self.field.starts_with('[') {
            format!("{parent}{}", self.field)
        } else {
            format!("{parent}.{}", self.field)
        };
        self
    }

    /// Turns a serde_json error into a field error. serde_json reports the
    /// position, not the path; the message names the key where it can.
    pub fn from_json(field: impl Into<String>, err: &serde_json::Error) -> Self {
        Self::new(field, format!("invalid JSON: {err}"))
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for FieldError {}
