//! The test service account's key pair (test data, never shipped in the
//! binary): the private key signs login JWTs in credential files, the
//! public key goes in the simulator's `ServiceAccount::public_key_pem`.

/// Private key of the test service account (PKCS#8 PEM).
pub const SERVICE_ACCOUNT_PRIVATE_KEY: &str = include_str!("testdata/service_account_private.pem");
/// Its public key.
pub const SERVICE_ACCOUNT_PUBLIC_KEY: &str = include_str!("testdata/service_account_public.pem");
