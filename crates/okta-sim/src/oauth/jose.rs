//! Compact JWS as the token endpoint meets it: decode, verify an RS256 / ES256 signature against a public JWK,
//! and the RFC 7638 thumbprint of a JWK. Only the algorithms Okta accepts for client assertions and DPoP proofs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A JWS split into its parts, header and payload decoded.
pub struct Jws<'a> {
    pub header: Value,
    pub payload: Value,
    /// `base64url(header) . base64url(payload)`: the bytes the signature covers.
    signing_input: &'a str,
    signature: Vec<u8>,
}

fn b64(s: &str) -> Result<Vec<u8>, String> {
    B64.decode(s.trim_end_matches('='))
        .map_err(|_| "bad base64url in JWT".to_string())
}

/// Splits and decodes a compact JWS (no signature check yet).
pub fn parse(jwt: &str) -> Result<Jws<'_>, String> {
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a JWT".into());
    };
    let json = |s: &str| -> Result<Value, String> {
        serde_json::from_slice(&b64(s)?).map_err(|_| "bad JSON in JWT".to_string())
    };
    let header = json(h)?;
    let payload = json(p)?;
    if !header.is_object() || !payload.is_object() {
        return Err("bad JSON in JWT".into());
    }
    Ok(Jws {
        header,
        payload,
        signing_input: &jwt[..h.len() + 1 + p.len()],
        signature: b64(s)?,
    })
}

impl Jws<'_> {
    pub fn alg(&self) -> &str {
        self.header["alg"].as_str().unwrap_or("")
    }

    /// Verifies the signature with a public JWK. The header's `alg` must be RS256 (RSA key) or ES256 (P-256 key).
    pub fn verify(&self, jwk: &Value) -> Result<(), String> {
        let kty = jwk["kty"].as_str().unwrap_or("");
        match (self.alg(), kty) {
            ("RS256", "RSA") => verify_rs256(jwk, self.signing_input.as_bytes(), &self.signature),
            ("ES256", "EC") => verify_es256(jwk, self.signing_input.as_bytes(), &self.signature),
            ("RS256" | "ES256", other) => Err(format!(
                "the key type {other:?} cannot verify a {} signature",
                self.alg()
            )),
            (other, _) => Err(format!("the signing algorithm {other:?} is not supported")),
        }
    }
}

/// The key type an algorithm needs (`RSA` for RS256, `EC` for ES256).
pub fn kty_for(alg: &str) -> Option<&'static str> {
    match alg {
        "RS256" => Some("RSA"),
        "ES256" => Some("EC"),
        _ => None,
    }
}

fn member<'a>(jwk: &'a Value, k: &str) -> Result<&'a str, String> {
    jwk.get(k)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the JWK lacks {k}"))
}

fn verify_rs256(jwk: &Value, input: &[u8], sig: &[u8]) -> Result<(), String> {
    use rsa::signature::Verifier;
    let n = rsa::BigUint::from_bytes_be(&b64(member(jwk, "n")?)?);
    let e = rsa::BigUint::from_bytes_be(&b64(member(jwk, "e")?)?);
    let key = rsa::RsaPublicKey::new(n, e).map_err(|e| format!("the RSA JWK is invalid: {e}"))?;
    let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
    let sig = rsa::pkcs1v15::Signature::try_from(sig).map_err(|_| "bad signature".to_string())?;
    vk.verify(input, &sig)
        .map_err(|_| "bad signature".to_string())
}

fn verify_es256(jwk: &Value, input: &[u8], sig: &[u8]) -> Result<(), String> {
    use p256::ecdsa::signature::Verifier;
    if member(jwk, "crv")? != "P-256" {
        return Err("the EC JWK is not on P-256".into());
    }
    let (x, y) = (b64(member(jwk, "x")?)?, b64(member(jwk, "y")?)?);
    if x.len() != 32 || y.len() != 32 {
        return Err("the EC JWK's coordinates are not 32 bytes".into());
    }
    let point = p256::EncodedPoint::from_affine_coordinates(
        p256::FieldBytes::from_slice(&x),
        p256::FieldBytes::from_slice(&y),
        false,
    );
    let vk = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
        .map_err(|_| "the EC JWK is not a point on P-256".to_string())?;
    // JWS ES256 signatures are r || s, 64 bytes (not DER).
    let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| "bad signature".to_string())?;
    vk.verify(input, &sig)
        .map_err(|_| "bad signature".to_string())
}

/// Whether a JWK carries private material (a DPoP header or a registered key must be public).
pub fn has_private_parts(jwk: &Value) -> bool {
    ["d", "p", "q", "dp", "dq", "qi"]
        .iter()
        .any(|k| jwk.get(k).is_some())
}

/// RFC 7638 thumbprint of a public JWK.
pub fn thumbprint(jwk: &Value) -> Result<String, String> {
    let s = |k: &str| member(jwk, k);
    let canonical = match s("kty")? {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            s("crv")?,
            s("x")?,
            s("y")?
        ),
        "RSA" => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, s("e")?, s("n")?),
        "OKP" => format!(r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#, s("crv")?, s("x")?),
        other => return Err(format!("unsupported JWK kty {other}")),
    };
    Ok(B64.encode(Sha256::digest(canonical.as_bytes())))
}

/// Checks that a JWK is a usable public signing key (RSA ≥ 2048 bits, or EC P-256): for registration.
pub fn check_public_signing_key(jwk: &Value) -> Result<(), String> {
    if has_private_parts(jwk) {
        return Err("the JWK contains private key material".into());
    }
    match member(jwk, "kty")? {
        "RSA" => {
            let n = b64(member(jwk, "n")?)?;
            let e = b64(member(jwk, "e")?)?;
            let key = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(&n),
                rsa::BigUint::from_bytes_be(&e),
            )
            .map_err(|e| format!("the RSA key is invalid: {e}"))?;
            if rsa::traits::PublicKeyParts::size(&key) < 256 {
                return Err("the RSA key is shorter than 2048 bits".into());
            }
            Ok(())
        }
        "EC" => {
            // A verification over nothing would fail anyway; decode the point to catch a malformed key now.
            match verify_es256(jwk, b"", &[0u8; 64]) {
                Err(e) if e != "bad signature" => Err(e),
                _ => Ok(()),
            }
        }
        other => Err(format!("the key type {other:?} is not supported")),
    }
}
