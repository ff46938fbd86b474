//! The canonical query and the string to sign:
//! `METHOD + host + path + "?" + name=value&…`, names and values encoded with
//! [`java_url_encode`](super::escape::java_url_encode) and sorted by encoded name.

use super::escape::java_url_encode_into;
use crate::wire::error::FieldError;

/// The HTTP methods Clink's API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

/// A query parameter's value: one value, or an array that is sent as
/// `name[0]=…&name[1]=…` (the SDK's flattening).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryValue {
    One(String),
    Many(Vec<String>),
}

impl From<&str> for QueryValue {
    fn from(value: &str) -> Self {
        QueryValue::One(value.to_owned())
    }
}

impl From<String> for QueryValue {
    fn from(value: String) -> Self {
        QueryValue::One(value)
    }
}

/// Flattens arrays into one `name[i]` parameter per element.
pub fn flatten(params: &[(String, QueryValue)]) -> Vec<(String, String)> {
    let mut flat = Vec::with_capacity(params.len());
    for (name, value) in params {
        match value {
            QueryValue::One(v) => flat.push((name.clone(), v.clone())),
            QueryValue::Many(values) => {
                for (i, v) in values.iter().enumerate() {
                    flat.push((format!("{name}[{i}]"), v.clone()));
                }
            }
        }
    }
    flat
}

/// Encodes every name and value, sorts by encoded name (byte order) and joins
/// them as `name=value&…`. A name given twice is an error: the SDK keeps
/// parameters in a map, so a duplicate could never be signed as sent.
#[cfg(test)]
pub fn canonical_query(params: &[(String, String)]) -> Result<String, FieldError> {
    let mut out = String::new();
    canonical_query_into(params.iter().map(|(n, v)| (n.as_str(), v.as_str())), &mut out)?;
    Ok(out)
}

/// [`canonical_query`] appending to `out`, with one scratch buffer for all
/// encoded names and values (signing is on every request's path).
pub fn canonical_query_into<'a>(params: impl Iterator<Item = (&'a str, &'a str)>, out: &mut String) -> Result<(), FieldError> {
    let mut scratch = String::with_capacity(256);
    let mut spans: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::with_capacity(8);
    for (name, value) in params {
        let n0 = scratch.len();
        java_url_encode_into(name, &mut scratch);
        let v0 = scratch.len();
        java_url_encode_into(value, &mut scratch);
        spans.push((n0..v0, v0..scratch.len()));
    }
    let bytes = scratch.as_bytes();
    spans.sort_unstable_by(|a, b| bytes[a.0.clone()].cmp(&bytes[b.0.clone()]));
    if let Some(pair) = spans.windows(2).find(|w| bytes[w[0].0.clone()] == bytes[w[1].0.clone()]) {
        return Err(FieldError::new("query", format!("parameter {:?} is given more than once", &scratch[pair[0].0.clone()])));
    }
    out.reserve(scratch.len() + 2 * spans.len());
    for (i, (name, value)) in spans.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&scratch[name.clone()]);
        out.push('=');
        out.push_str(&scratch[value.clone()]);
    }
    Ok(())
}

/// `METHOD + host + path + "?" + canonical_query`.
#[cfg(test)]
pub fn string_to_sign(method: Method, host: &str, path: &str, canonical_query: &str) -> String {
    let mut s = String::with_capacity(4 + host.len() + path.len() + 1 + canonical_query.len());
    s.push_str(method.as_str());
    s.push_str(host);
    s.push_str(path);
    s.push('?');
    s.push_str(canonical_query);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: &str, v: &str) -> (String, String) {
        (n.to_owned(), v.to_owned())
    }

    #[test]
    fn sorts_by_encoded_name() {
        // `[` encodes to `%5B`, which sorts before letters: sorting raw names
        // would put `a[0]` after `a0`; sorting encoded names puts it first.
        let q = canonical_query(&[p("a0", "x"), p("a[0]", "y"), p("B", "z")]).unwrap();
        assert_eq!(q, "B=z&a%5B0%5D=y&a0=x");
    }

    #[test]
    fn flattens_arrays() {
        let flat = flatten(&[
            ("cnos".into(), QueryValue::Many(vec!["0000".into(), "0001".into()])),
            ("qno".into(), "0000".into()),
        ]);
        assert_eq!(flat, vec![p("cnos[0]", "0000"), p("cnos[1]", "0001"), p("qno", "0000")]);
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let err = canonical_query(&[p("a", "1"), p("a", "2")]).unwrap_err();
        assert_eq!(err.field, "query");
    }

    #[test]
    fn string_layout() {
        assert_eq!(string_to_sign(Method::Post, "h:1", "/p", "a=b"), "POSTh:1/p?a=b");
    }
}
