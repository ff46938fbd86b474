//! `Base64(HMAC-SHA1(secret, string_to_sign))`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The Base64 signature (not yet URL-encoded).
pub fn hmac_sha1_base64(secret: &[u8], string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
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
