//! The one percent-encoder for URL paths and query values the edge and the
//! board build (RFC 3986: unreserved characters stay, every other byte of
//! the UTF-8 is `%XX`). Clink's signature has its own, Java-style form
//! encoding (`clink::sign`), which is for Clink only.

/// Encodes one path segment or query value.
pub fn encode_component(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// Decodes a query value or path segment: `%XX` escapes, and `+` as a space
/// (as forms and older links write it). `None` if an escape is broken or the
/// bytes are not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                let (h, l) = (hex(*b.get(i + 1)?)?, hex(*b.get(i + 2)?)?);
                out.push((h * 16 + l) as u8);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// A query string's `name=value` pairs as written (a leading `?` ignored,
/// empty pairs skipped, a name without `=` has an empty value).
fn split(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// A query string's `name=value` pairs, each value decoded and trimmed. A
/// broken escape is refused naming its parameter.
pub fn query_pairs(query: &str) -> Result<Vec<(&str, String)>, crate::FieldError> {
    split(query)
        .map(|(k, v)| {
            let v = decode_component(v).ok_or_else(|| crate::FieldError::new(k, "is not valid percent-encoding"))?;
            Ok((k, v.trim().to_owned()))
        })
        .collect()
}

/// A query string's pairs as the caller sent them: names and values decoded,
/// nothing trimmed (what the edge passes on, e.g. to Clink). A broken escape
/// is refused naming its parameter.
pub fn decoded_pairs(query: &str) -> Result<Vec<(String, String)>, crate::FieldError> {
    split(query)
        .map(|(k, v)| {
            let broken = || crate::FieldError::new(k, "is not valid percent-encoding");
            Ok((decode_component(k).ok_or_else(broken)?, decode_component(v).ok_or_else(broken)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_rfc_3986_says() {
        assert_eq!(encode_component("abc-_.~09"), "abc-_.~09");
        assert_eq!(encode_component("a b/c?d&e=f"), "a%20b%2Fc%3Fd%26e%3Df");
        assert_eq!(encode_component("通话质检"), "%E9%80%9A%E8%AF%9D%E8%B4%A8%E6%A3%80");
        assert_eq!(encode_component("^*'"), "%5E%2A%27");
    }

    #[test]
    fn a_query_reads_as_decoded_trimmed_pairs_and_a_broken_escape_names_its_parameter() {
        assert_eq!(query_pairs("?a=%E5%88%98+x&b&c= 1 &&").unwrap(), [("a", "刘 x".to_owned()), ("b", String::new()), ("c", "1".to_owned())]);
        assert_eq!(query_pairs("").unwrap(), []);
        assert_eq!(query_pairs("ok=1&user=%zz").unwrap_err().field, "user");
    }

    #[test]
    fn a_query_as_sent_decodes_names_and_values_keeps_their_spaces_and_names_a_broken_escape() {
        assert_eq!(
            decoded_pairs("?q=+%E5%88%98+&a%20b=1&flag&&c=x=y").unwrap(),
            [
                ("q".to_owned(), " 刘 ".to_owned()),
                ("a b".to_owned(), "1".to_owned()),
                ("flag".to_owned(), String::new()),
                ("c".to_owned(), "x=y".to_owned())
            ]
        );
        assert_eq!(decoded_pairs("").unwrap(), []);
        assert_eq!(decoded_pairs("ok=1&bad=%E5%88").unwrap_err().field, "bad");
        assert_eq!(decoded_pairs("%zz=1").unwrap_err().field, "%zz");
    }

    #[test]
    fn decodes_what_it_encodes_and_plus_as_space() {
        for s in ["a b", "通话质检", "x&y=z", "100%", ""] {
            assert_eq!(decode_component(&encode_component(s)).as_deref(), Some(s));
        }
        assert_eq!(decode_component("a+b").as_deref(), Some("a b"));
        assert_eq!(decode_component("%E5%88%98").as_deref(), Some("刘"));
        assert_eq!(decode_component("%G0"), None);
        assert_eq!(decode_component("%E5"), None);
        assert_eq!(decode_component("%"), None);
    }
}
