//! Private keys for signing: RSA (PKCS#1 or PKCS#8 PEM, or a JWK) → RS256, EC P-256 (SEC1 or
//! PKCS#8 PEM, or a JWK) → ES256. Parse errors name the format, never the key text; Debug shows
//! only the algorithm and the public thumbprint.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use crate::error::Error;

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A private key able to sign JWS: RS256 for RSA, ES256 for P-256.
pub enum SigningKey {
    Rsa(Box<rsa::pkcs1v15::SigningKey<Sha256>>, rsa::RsaPublicKey),
    Ec(p256::ecdsa::SigningKey),
}

fn bad_key(why: &str) -> Error {
    Error::Config(format!("PrivateKey is not usable: {why}"))
}

impl SigningKey {
    /// PEM text (`RSA PRIVATE KEY`, `PRIVATE KEY`, `EC PRIVATE KEY`) or a private JWK as JSON.
    pub fn parse(text: &str) -> Result<SigningKey, Error> {
        let text = text.trim();
        if text.starts_with('{') {
            return Self::from_jwk(text);
        }
        if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
            let key = rsa::RsaPrivateKey::from_pkcs1_pem(text)
                .map_err(|_| bad_key("the PKCS#1 RSA PEM could not be decoded"))?;
            return Ok(Self::from_rsa(key));
        }
        if text.contains("-----BEGIN EC PRIVATE KEY-----") {
            let key = p256::SecretKey::from_sec1_pem(text)
                .map_err(|_| bad_key("the EC PEM is not a P-256 (prime256v1) private key"))?;
            return Ok(SigningKey::Ec(key.into()));
        }
        if text.contains("-----BEGIN PRIVATE KEY-----") {
            if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_pem(text) {
                return Ok(Self::from_rsa(key));
            }
            if let Ok(key) = p256::SecretKey::from_pkcs8_pem(text) {
                return Ok(SigningKey::Ec(key.into()));
            }
            return Err(bad_key(
                "the PKCS#8 PEM holds neither an RSA nor an EC P-256 private key",
            ));
        }
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(bad_key(
                "encrypted PEM keys are not supported; export it unencrypted",
            ));
        }
        Err(bad_key(
            "expected PEM text (RSA PRIVATE KEY, PRIVATE KEY or EC PRIVATE KEY) or a private JWK in JSON",
        ))
    }

    fn from_rsa(key: rsa::RsaPrivateKey) -> SigningKey {
        let public = key.to_public_key();
        SigningKey::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key)), public)
    }

    fn from_jwk(text: &str) -> Result<SigningKey, Error> {
        let jwk: serde_json::Value =
            serde_json::from_str(text).map_err(|_| bad_key("the JWK is not valid JSON"))?;
        let field = |name: &str| -> Result<Vec<u8>, Error> {
            let value = jwk
                .get(name)
                .and_then(|v| v.as_str())
                .ok_or_else(|| bad_key(&format!("the JWK has no '{name}'")))?;
            URL_SAFE_NO_PAD
                .decode(value.trim_end_matches('='))
                .map_err(|_| bad_key(&format!("the JWK's '{name}' is not base64url")))
        };
        match jwk.get("kty").and_then(|v| v.as_str()) {
            Some("RSA") => {
                let big = |name: &str| field(name).map(|b| rsa::BigUint::from_bytes_be(&b));
                let primes = match (field("p"), field("q")) {
                    (Ok(p), Ok(q)) => vec![
                        rsa::BigUint::from_bytes_be(&p),
                        rsa::BigUint::from_bytes_be(&q),
                    ],
                    _ => Vec::new(),
                };
                let key =
                    rsa::RsaPrivateKey::from_components(big("n")?, big("e")?, big("d")?, primes)
                        .map_err(|_| bad_key("the RSA JWK's components do not form a key"))?;
                key.validate()
                    .map_err(|_| bad_key("the RSA JWK's components do not form a key"))?;
                Ok(Self::from_rsa(key))
            }
            Some("EC") => {
                if jwk.get("crv").and_then(|v| v.as_str()) != Some("P-256") {
                    return Err(bad_key("only the EC curve P-256 (ES256) is supported"));
                }
                let d = field("d")?;
                let key = p256::SecretKey::from_slice(&d)
                    .map_err(|_| bad_key("the EC JWK's 'd' is not a P-256 private key"))?;
                Ok(SigningKey::Ec(key.into()))
            }
            Some(other) => Err(bad_key(&format!(
                "JWK key type '{other}' is not supported (RSA or EC P-256)"
            ))),
            None => Err(bad_key("the JWK has no 'kty'")),
        }
    }

    /// Generates a fresh P-256 key (DPoP): it lives in memory only.
    pub(crate) fn generate_ec() -> SigningKey {
        SigningKey::Ec(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng))
    }

    pub fn algorithm(&self) -> &'static str {
        match self {
            SigningKey::Rsa(..) => "RS256",
            SigningKey::Ec(_) => "ES256",
        }
    }

    pub(crate) fn sign(&self, input: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Rsa(key, _) => {
                use rsa::signature::SignatureEncoding;
                let signature: rsa::pkcs1v15::Signature = key.sign(input);
                signature.to_vec()
            }
            SigningKey::Ec(key) => {
                // JWS wants r || s (64 bytes), not DER.
                let signature: p256::ecdsa::Signature = key.sign(input);
                signature.to_bytes().to_vec()
            }
        }
    }

    /// The public key as a JWK, members in RFC 7638 order (the order of the thumbprint input).
    pub fn public_jwk_json(&self) -> String {
        match self {
            SigningKey::Rsa(_, public) => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                b64(&public.e().to_bytes_be()),
                b64(&public.n().to_bytes_be())
            ),
            SigningKey::Ec(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                format!(
                    r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
                    b64(point.x().map(|x| x.as_slice()).unwrap_or_default()),
                    b64(point.y().map(|y| y.as_slice()).unwrap_or_default())
                )
            }
        }
    }

    pub fn public_jwk(&self) -> serde_json::Value {
        serde_json::from_str(&self.public_jwk_json()).unwrap_or_default()
    }

    /// RFC 7638 JWK thumbprint (base64url SHA-256): names the key without revealing it.
    pub fn thumbprint(&self) -> String {
        b64(&Sha256::digest(self.public_jwk_json().as_bytes()))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SigningKey({}, thumbprint {})",
            self.algorithm(),
            self.thumbprint()
        )
    }
}

/// A compact JWS: `base64url(header).base64url(claims).base64url(signature)`.
pub(crate) fn sign_jws(
    key: &SigningKey,
    header: &serde_json::Value,
    claims: &serde_json::Value,
) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature))
}

/// 16 random bytes, base64url: a jti nobody can guess or repeat.
pub(crate) fn random_id() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut bytes);
    b64(&bytes)
}

/// Seconds since the Unix epoch on the wall clock (JWT iat/exp are wall-clock times).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
