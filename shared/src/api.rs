//! The board's own API: what the edge serves to the app under `/api/`.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::mediation::BoardRecord;

/// `GET /api/board`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardResponse {
    pub cases: Vec<BoardRecord>,
}

/// Every error the edge answers with: a stable code, a readable message and,
/// for bad input, the field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Machine-readable, e.g. `bad_request`, `unauthorized`, `upstream_unreachable`.
    pub code: String,
    /// Human-readable; upstream messages are passed through unchanged.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { error: ApiErrorBody { code: code.into(), message: message.into(), field: None } }
    }

    pub fn bad_field(err: &FieldError) -> Self {
        Self {
            error: ApiErrorBody {
                code: "bad_request".into(),
                message: err.to_string(),
                field: Some(err.field.clone()),
            },
        }
    }
}

/// Masks a phone number for people who may not see it: the first three and
/// last four digits stay (`13922111489` → `139****1489`). Short numbers keep
/// only their last two characters.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 8 {
        let mut out: String = chars[..3].iter().collect();
        out.push_str("****");
        out.extend(&chars[n - 4..]);
        out
    } else if n > 2 {
        let mut out = "*".repeat(n - 2);
        out.extend(&chars[n - 2..]);
        out
    } else {
        "*".repeat(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_spec_example() {
        assert_eq!(mask_phone("13922111489"), "139****1489");
        assert_eq!(mask_phone("02168881234"), "021****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone("1"), "*");
        assert_eq!(mask_phone(""), "");
    }
}
