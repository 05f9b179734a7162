//! HTTPS mode: a CA generated at start (written as PEM so clients can trust it), and a server certificate for
//! `127.0.0.1` and `localhost` signed by that CA. Nothing is reused between runs.

use std::path::PathBuf;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

pub struct TlsSetup {
    pub acceptor: tokio_rustls::TlsAcceptor,
    pub ca_pem: String,
    pub ca_path: PathBuf,
}

pub fn setup(dir: Option<PathBuf>) -> Result<TlsSetup, String> {
    let e = |x: rcgen::Error| format!("generating certificates: {x}");
    let ca_key = KeyPair::generate().map_err(e)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "okta-sim test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params.self_signed(&ca_key).map_err(e)?;
    let ca_pem = ca_cert.pem();
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().map_err(e)?;
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .map_err(e)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let server_cert = params.signed_by(&server_key, &issuer).map_err(e)?;

    let dir = match dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("okta-sim-tls-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|x| format!("creating {}: {x}", dir.display()))?;
    let ca_path = dir.join("okta-sim-ca.pem");
    std::fs::write(&ca_path, &ca_pem).map_err(|x| format!("writing {}: {x}", ca_path.display()))?;

    let chain = vec![
        CertificateDer::from(server_cert.der().to_vec()),
        CertificateDer::from(ca_cert.der().to_vec()),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|x| format!("TLS config: {x}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|x| format!("TLS config: {x}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsSetup {
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        ca_pem,
        ca_path,
    })
}
