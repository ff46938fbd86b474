//! `Base64(HMAC-SHA1(secret, string_to_sign))`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// An HMAC-SHA1 key, prepared once: each signature then starts from the
/// keyed state instead of hashing the key again.
#[derive(Clone)]
pub struct SigningKey(Hmac<Sha1>);

impl SigningKey {
    pub fn new(secret: &[u8]) -> Self {
        // HMAC accepts keys of any length, so this cannot fail.
        Self(Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length"))
    }

    /// The Base64 signature of `string_to_sign` (not yet URL-encoded).
    pub fn sign(&self, string_to_sign: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(string_to_sign.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }
}

/// The Base64 signature (not yet URL-encoded).
#[cfg(test)]
pub fn hmac_sha1_base64(secret: &[u8], string_to_sign: &str) -> String {
    SigningKey::new(secret).sign(string_to_sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2202_test_case_2() {
        // RFC 2202, HMAC-SHA1 test case 2: key "Jefe", digest effcdf6ae5eb2fa2d27416d5f184df9c259a7c79.
        assert_eq!(hmac_sha1_base64(b"Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
    }
}
