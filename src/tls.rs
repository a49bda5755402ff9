//! Certificate verification against the user's CA file (`--ca-file`,
//! `DCOS_TLS_CA_PATH`, a `core.ssl_verify` path). WebPKI refuses a
//! self-signed server certificate given as its own CA (`CaUsedAsEndEntity`),
//! which curl, Python and the dcos CLI accept and many small clusters use.
//! [`CaFileVerifier`] accepts exactly that case: the certificate the server
//! presents is byte-identical to one in the file, names the host, and is
//! within its validity dates. Every other certificate, and every handshake
//! signature, is checked by the standard WebPKI verifier.

use std::sync::Arc;

use der::asn1::{AnyRef, GeneralizedTime, UtcTime};
use der::{Decode, Reader, SliceReader, Tag, TagNumber};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, DistinguishedName, Error, RootCertStore,
    SignatureScheme,
};

/// WebPKI over the CA file, plus the file's certificates as themselves.
#[derive(Debug)]
pub struct CaFileVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    trusted: Vec<CertificateDer<'static>>,
}

impl CaFileVerifier {
    /// A verifier trusting `certs`; `Err` with rustls's words when none of
    /// them is a usable trust anchor.
    pub fn new(
        certs: Vec<CertificateDer<'static>>,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, String> {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(certs.iter().cloned());
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            webpki,
            trusted: certs,
        })
    }
}

/// A rustls client config that verifies with [`CaFileVerifier`].
pub fn client_config(certs: Vec<CertificateDer<'static>>) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = CaFileVerifier::new(certs, Arc::clone(&provider))?;
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

impl ServerCertVerifier for CaFileVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(_) if self.trusted.iter().any(|c| c == end_entity) => {
                verify_trusted_itself(end_entity, server_name, now)
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }

    fn root_hint_subjects(&self) -> Option<&[DistinguishedName]> {
        self.webpki.root_hint_subjects()
    }
}

/// A certificate the user trusts as it is: it must still name the host and
/// be within its dates.
fn verify_trusted_itself(
    cert: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
    now: UnixTime,
) -> Result<ServerCertVerified, Error> {
    rustls::client::verify_server_name(&ParsedCertificate::try_from(cert)?, server_name)?;
    let (not_before, not_after) =
        validity(cert).ok_or(Error::InvalidCertificate(CertificateError::BadEncoding))?;
    let now = now.as_secs();
    if now < not_before {
        Err(Error::InvalidCertificate(CertificateError::NotValidYet))
    } else if now > not_after {
        Err(Error::InvalidCertificate(CertificateError::Expired))
    } else {
        Ok(ServerCertVerified::assertion())
    }
}

/// `notBefore` and `notAfter` of an X.509 certificate, in Unix seconds.
fn validity(cert: &[u8]) -> Option<(u64, u64)> {
    let certificate = AnyRef::from_der(cert).ok()?;
    let mut outer = SliceReader::new(certificate.value()).ok()?;
    let tbs = AnyRef::decode(&mut outer).ok()?;
    let mut fields = SliceReader::new(tbs.value()).ok()?;
    let version = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    if fields.peek_tag().ok()? == version {
        AnyRef::decode(&mut fields).ok()?;
    }
    // serialNumber, signature, issuer
    for _ in 0..3 {
        AnyRef::decode(&mut fields).ok()?;
    }
    let validity = AnyRef::decode(&mut fields).ok()?;
    let mut times = SliceReader::new(validity.value()).ok()?;
    Some((unix_time(&mut times)?, unix_time(&mut times)?))
}

fn unix_time(reader: &mut SliceReader<'_>) -> Option<u64> {
    let since_epoch = match reader.peek_tag().ok()? {
        Tag::UtcTime => UtcTime::decode(reader).ok()?.to_unix_duration(),
        Tag::GeneralizedTime => GeneralizedTime::decode(reader).ok()?.to_unix_duration(),
        _ => return None,
    };
    Some(since_epoch.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;

    /// A self-signed certificate made with `openssl req -x509 -days 1`,
    /// CN=localhost, valid from 2026-12-02 17:04:54 to 2026-12-03 17:04:54 UTC.
    const SELF_SIGNED: &str = include_str!("tls/self_signed_test_cert.pem");
    const NOT_BEFORE: u64 = 1796231094;

    fn cert() -> CertificateDer<'static> {
        CertificateDer::from_pem_slice(SELF_SIGNED.as_bytes()).expect("pem")
    }

    #[test]
    fn validity_reads_both_dates() {
        assert_eq!(
            validity(&cert()),
            Some((NOT_BEFORE, NOT_BEFORE + 24 * 3600))
        );
        assert_eq!(validity(b"\x30\x03\x02\x01\x01"), None);
    }

    #[test]
    fn a_trusted_certificate_is_still_checked_for_name_and_dates() {
        let cert = cert();
        let host = ServerName::try_from("localhost").expect("name");
        let during = UnixTime::since_unix_epoch(std::time::Duration::from_secs(NOT_BEFORE + 60));
        assert!(verify_trusted_itself(&cert, &host, during).is_ok());
        let other = ServerName::try_from("other.example").expect("name");
        assert!(matches!(
            verify_trusted_itself(&cert, &other, during),
            Err(Error::InvalidCertificate(_))
        ));
        let before = UnixTime::since_unix_epoch(std::time::Duration::from_secs(NOT_BEFORE - 60));
        assert_eq!(
            verify_trusted_itself(&cert, &host, before).expect_err("early"),
            Error::InvalidCertificate(CertificateError::NotValidYet)
        );
        let after =
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(NOT_BEFORE + 2 * 24 * 3600));
        assert_eq!(
            verify_trusted_itself(&cert, &host, after).expect_err("late"),
            Error::InvalidCertificate(CertificateError::Expired)
        );
    }
}
