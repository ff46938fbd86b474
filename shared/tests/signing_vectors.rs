//! The Clink signer against known-answer vectors kept as data
//! (`vectors/clink_signing.json`, computed independently with Python's
//! urllib and hmac by `vectors/make_signing_vectors.py`).

use serde::Deserialize;
use shared::wire::clink::sign::{self, BaseUrl, Credentials, Expires, Method, QueryValue, Signer};

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    host: String,
    path: String,
    params: Vec<(String, serde_json::Value)>,
    access_key_id: String,
    secret: String,
    expires: u32,
    timestamp: String,
    string_to_sign: String,
    signature: String,
    signature_url_encoded: String,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/clink_signing.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn signer_for(v: &Vector) -> Signer {
    let scheme = if v.host.starts_with("127.") { "http" } else { "https" };
    Signer::new(
        Credentials::new(&v.access_key_id, &v.secret).unwrap(),
        Expires::new(v.expires).unwrap(),
        BaseUrl::parse(&format!("{scheme}://{}", v.host)).unwrap(),
    )
}

fn query_of(v: &Vector) -> Vec<(String, QueryValue)> {
    v.params
        .iter()
        .map(|(k, val)| {
            let q = match val {
                serde_json::Value::String(s) => QueryValue::One(s.clone()),
                serde_json::Value::Array(items) => {
                    QueryValue::Many(items.iter().map(|i| i.as_str().unwrap().to_owned()).collect())
                }
                other => panic!("unexpected param value {other}"),
            };
            (k.clone(), q)
        })
        .collect()
}

#[test]
fn all_vectors() {
    let vectors = vectors();
    assert!(vectors.len() >= 10);
    for v in &vectors {
        let method = Method::parse(&v.method).unwrap();
        let now = sign::parse_timestamp(&v.timestamp).unwrap();
        let signed = signer_for(v).sign(method, &v.path, &query_of(v), now).unwrap();
        assert_eq!(signed.string_to_sign, v.string_to_sign, "{}: string to sign", v.name);
        assert_eq!(signed.signature, v.signature, "{}: signature", v.name);
        assert!(
            signed.url.ends_with(&format!("&Signature={}", v.signature_url_encoded)),
            "{}: url {}",
            v.name,
            signed.url
        );
        let (_, query) = v.string_to_sign.split_once('?').unwrap();
        assert!(signed.url.contains(&format!("{}?{query}&", v.path)), "{}: url carries the signed query", v.name);
    }
}

/// The values stated in `../shared/specs/README.md`, literally.
#[test]
fn readme_known_answers() {
    let signer = Signer::new(
        Credentials::new("b1fcdc6c62be261cf97b00b25be6a2af", "TEST_SECRET_NOT_REAL").unwrap(),
        Expires::new(60).unwrap(),
        BaseUrl::parse("https://api-bj.clink.cn").unwrap(),
    );
    let now = sign::parse_timestamp("2018-10-12T10:18:12Z").unwrap();
    let query = vec![
        ("limit".to_owned(), QueryValue::from("10")),
        ("offset".to_owned(), QueryValue::from("0")),
        ("qno".to_owned(), QueryValue::from("0000")),
        ("cnos".to_owned(), QueryValue::Many(vec!["0000".into(), "0001".into()])),
    ];
    let get = signer.sign(Method::Get, "/cc/list_clients", &query, now).unwrap();
    assert_eq!(
        get.string_to_sign,
        "GETapi-bj.clink.cn/cc/list_clients?AccessKeyId=b1fcdc6c62be261cf97b00b25be6a2af&Expires=60&Timestamp=2018-10-12T10%3A18%3A12Z&cnos%5B0%5D=0000&cnos%5B1%5D=0001&limit=10&offset=0&qno=0000"
    );
    assert_eq!(get.signature, "wlJ+iwywTVT+PHdoxX9Qx7rDq7Y=");
    assert!(get.url.ends_with("&Signature=wlJ%2BiwywTVT%2BPHdoxX9Qx7rDq7Y%3D"));
    assert!(get.url.starts_with("https://api-bj.clink.cn/cc/list_clients?AccessKeyId="));

    let post = signer.sign(Method::Post, "/cc/online", &[], now).unwrap();
    assert_eq!(
        post.string_to_sign,
        "POSTapi-bj.clink.cn/cc/online?AccessKeyId=b1fcdc6c62be261cf97b00b25be6a2af&Expires=60&Timestamp=2018-10-12T10%3A18%3A12Z"
    );
    assert_eq!(post.signature, "S5+V3/npC1lUwLSFquPPcxntHgs=");
}

#[test]
fn post_with_extra_query_is_refused() {
    let v = &vectors()[0];
    let err = signer_for(v)
        .sign(Method::Post, "/cc/online", &[("qno".into(), "0000".into())], 0)
        .unwrap_err();
    assert_eq!(err.field, "query");
}

#[test]
fn caller_cannot_set_common_parameters() {
    let v = &vectors()[0];
    let err = signer_for(v).sign(Method::Get, "/x", &[("Signature".into(), "forged".into())], 0).unwrap_err();
    assert_eq!(err.field, "query");
    let err = signer_for(v).sign(Method::Get, "x", &[], 0).unwrap_err();
    assert_eq!(err.field, "path");
}

#[test]
fn base_url_with_prefix_signs_the_full_path() {
    let signer = Signer::new(
        Credentials::new("ak", "sk").unwrap(),
        Expires::default(),
        BaseUrl::parse("http://127.0.0.1:8789/clink").unwrap(),
    );
    let s = signer.sign(Method::Get, "/kb/list_articles", &[], 0).unwrap();
    assert!(s.string_to_sign.starts_with("GET127.0.0.1:8789/clink/kb/list_articles?AccessKeyId=ak&Expires=600&Timestamp=1970-01-01T00%3A00%3A00Z"));
    assert!(s.url.starts_with("http://127.0.0.1:8789/clink/kb/list_articles?"));
}
