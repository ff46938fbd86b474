//! Percent-encoding with the rules of Java's `URLEncoder.encode(s, "UTF-8")`,
//! which is what Clink's official SDK uses for names, values and the signature.
//!
//! `A-Z a-z 0-9 . - * _` stay as they are, a space becomes `+`, and every other
//! UTF-8 byte becomes `%XX` with upper-case hex. This is *not* RFC 3986:
//! `~` is encoded (`%7E`) and `*` is not.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes Java's URLEncoder leaves untouched, as a table (this runs on every
/// byte of every signed request).
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'*' || c == b'_';
        b += 1;
    }
    table
};

/// Encodes `input` the way `URLEncoder.encode(input, "UTF-8")` does.
#[cfg(test)]
pub fn java_url_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    java_url_encode_into(input, &mut out);
    out
}

/// Appends the encoding of `input` to `out` (no allocation of its own).
pub fn java_url_encode_into(input: &str, out: &mut String) {
    let bytes = input.as_bytes();
    out.reserve(bytes.len());
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if UNRESERVED[byte as usize] {
            continue;
        }
        // Copy the run of unreserved (ASCII) bytes before this one in one go;
        // such a run always starts and ends on character boundaries.
        if start < i {
            out.push_str(&input[start..i]);
        }
        start = i + 1;
        if byte == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0x0f) as usize] as char);
        }
    }
    if start < bytes.len() {
        out.push_str(&input[start..]);
    }
}

/// Decodes what [`java_url_encode`] (or a browser's form encoding) produced:
/// `+` is a space and `%XX` a byte. Returns `None` for a malformed escape or
/// bytes that are not UTF-8.
#[cfg(test)]
pub fn form_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_java_urlencoder() {
        let cases = [
            ("AZaz09.-*_", "AZaz09.-*_"),
            (" ", "+"),
            ("~", "%7E"),
            (":", "%3A"),
            ("[", "%5B"),
            ("]", "%5D"),
            ("+", "%2B"),
            ("/", "%2F"),
            ("=", "%3D"),
            ("&", "%26"),
            ("中", "%E4%B8%AD"),
            ("", ""),
            ("2018-10-12T10:18:12Z", "2018-10-12T10%3A18%3A12Z"),
        ];
        for (raw, encoded) in cases {
            assert_eq!(java_url_encode(raw), encoded, "encoding {raw:?}");
            assert_eq!(form_decode(encoded).as_deref(), Some(raw), "decoding {encoded:?}");
        }
    }

    #[test]
    fn rejects_malformed_escapes() {
        assert_eq!(form_decode("%"), None);
        assert_eq!(form_decode("%4"), None);
        assert_eq!(form_decode("%GG"), None);
        assert_eq!(form_decode("%FF"), None, "a lone 0xFF is not UTF-8");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::{form_decode, java_url_encode};

    proptest! {
    #[test]
    fn url_encoding_round_trips(s in any::<String>()) {
        let encoded = java_url_encode(&s);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b".-*_+%".contains(&b)));
        prop_assert_eq!(form_decode(&encoded), Some(s));
    }

    #[test]
    fn form_decode_never_panics(s in any::<String>()) {
        let _ = form_decode(&s);
    }

    }
}
