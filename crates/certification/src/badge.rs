//! Open Badges 3.0: every certificate also travels as an `OpenBadgeCredential`
//! (W3C Verifiable Credentials Data Model 2.0), signed as a VC-JWT with RS256. The
//! public keys are published as a JWK set, the issuer as a profile, and revocation
//! and suspension as Bitstring Status Lists.

use std::io::Write;

use aula_core::{sha256_hex, TokenSource};
use aula_db::{schema::signing_keys, DbConnection};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{NaiveDateTime, SecondsFormat};
use diesel::prelude::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::{
    pkcs1::{EncodeRsaPrivateKey, LineEnding},
    rand_core::{CryptoRng, RngCore},
    traits::PublicKeyParts,
    RsaPrivateKey,
};
use serde_json::{json, Value};

use crate::{
    error::{CertificationError, Result},
    model::{Kind, StatusPurpose},
    record::Certificate,
    service::Certification,
};

/// Bits in a status list: the specification's minimum, which hides how many
/// certificates there are.
const MIN_LIST_BITS: usize = 131_072;

/// A signing key as stored: the newest signs, every one stays in the JWK set.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signing_keys, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct SigningKey {
    pub kid: String,
    pub private_pem: String,
    pub modulus: String,
    pub exponent: String,
}

/// The injected token source as the random number generator RSA key generation
/// asks for, so tests get the same key every run.
struct TokenRng<'a>(&'a dyn TokenSource);

impl RngCore for TokenRng<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.0.fill(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.0.fill(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill(dest);
    }
    fn try_fill_bytes(
        &mut self,
        dest: &mut [u8],
    ) -> std::result::Result<(), rsa::rand_core::Error> {
        self.0.fill(dest);
        Ok(())
    }
}

impl CryptoRng for TokenRng<'_> {}

/// The key that signs now: the newest, made (2048-bit RSA) and stored on first use.
/// Several instances starting at once agree on one: a lost race reads the winner's.
pub(crate) fn current_key(conn: &mut DbConnection, svc: &Certification) -> Result<SigningKey> {
    if let Some(key) = newest(conn)? {
        return Ok(key);
    }
    let signing = |e: String| CertificationError::Signing(e);
    let private = RsaPrivateKey::new(&mut TokenRng(svc.tokens.as_ref()), 2048)
        .map_err(|e| signing(e.to_string()))?;
    let pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| signing(e.to_string()))?;
    let modulus = URL_SAFE_NO_PAD.encode(private.n().to_bytes_be());
    let exponent = URL_SAFE_NO_PAD.encode(private.e().to_bytes_be());
    let kid = sha256_hex(modulus.as_bytes())[..16].to_owned();
    let inserted = aula_db::transaction(conn, |conn| {
        diesel::insert_into(signing_keys::table)
            .values((
                signing_keys::kid.eq(&kid),
                signing_keys::private_pem.eq(pem.as_str()),
                signing_keys::modulus.eq(&modulus),
                signing_keys::exponent.eq(&exponent),
                signing_keys::created_at.eq(svc.now()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => {}
        Err(e) if aula_db::is_unique_violation(&e) => {}
        Err(e) => return Err(e.into()),
    }
    newest(conn)?.ok_or_else(|| signing("no signing key".into()))
}

fn newest(conn: &mut DbConnection) -> Result<Option<SigningKey>> {
    Ok(signing_keys::table
        .order((signing_keys::created_at.desc(), signing_keys::kid.asc()))
        .select(SigningKey::as_select())
        .first(conn)
        .optional()?)
}

/// A published key by its id.
pub(crate) fn key_by_id(conn: &mut DbConnection, kid: &str) -> Result<Option<SigningKey>> {
    Ok(signing_keys::table
        .find(kid)
        .select(SigningKey::as_select())
        .first(conn)
        .optional()?)
}

/// The issuer's public keys as a JWK set (RFC 7517), for anyone checking a badge.
pub fn jwks(conn: &mut DbConnection, svc: &Certification) -> Result<Value> {
    current_key(conn, svc)?;
    let keys: Vec<SigningKey> = signing_keys::table
        .order(signing_keys::created_at.desc())
        .select(SigningKey::as_select())
        .load(conn)?;
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "kty": "RSA",
                "use": "sig",
                "alg": "RS256",
                "kid": k.kid,
                "n": k.modulus,
                "e": k.exponent,
            })
        })
        .collect();
    Ok(json!({ "keys": keys }))
}

/// The issuer profile (Open Badges `Profile`), at the URL that is its id.
pub fn issuer_profile(svc: &Certification) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": svc.issuer_id(),
        "type": ["Profile"],
        "name": svc.centre,
        "url": svc.public_url,
        "description": "Centro Interamericano de Estudios de Seguridad Social, the training arm of the Conferencia Interamericana de Seguridad Social (CISS).",
    })
}

fn timestamp(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn status_list_url(svc: &Certification, purpose: StatusPurpose) -> String {
    svc.api_url(&format!("/credentials/status/{}", purpose.as_str()))
}

/// The credential's id: a URL that answers with it.
pub fn credential_url(svc: &Certification, code: &str) -> String {
    svc.api_url(&format!("/credentials/{code}"))
}

/// The `OpenBadgeCredential` of a certificate.
pub(crate) fn credential(svc: &Certification, c: &Certificate) -> Value {
    let kind_name = match c.kind {
        Kind::Participation => "Certificate of participation",
        Kind::Approval => "Certificate of approval",
    };
    let criteria = match c.kind {
        Kind::Participation => format!(
            "Attended the sessions of {} ({}, {} to {}) at or above the offering's attendance threshold and completed its required lessons.",
            c.course_title, c.course_code, c.start_date, c.end_date
        ),
        Kind::Approval => format!(
            "Met the participation requirements of {} ({}, {} to {}) and obtained a final grade at or above the pass mark.",
            c.course_title, c.course_code, c.start_date, c.end_date
        ),
    };
    let status_entry = |purpose: StatusPurpose| {
        let list = status_list_url(svc, purpose);
        json!({
            "id": format!("{list}#{}", c.id),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose.as_str(),
            "statusListIndex": c.id.to_string(),
            "statusListCredential": list,
        })
    };
    let mut vc = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": credential_url(svc, &c.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": svc.issuer_id(),
            "type": ["Profile"],
            "name": svc.centre,
            "url": svc.public_url,
        },
        "validFrom": timestamp(c.issued_at),
        "name": format!("{kind_name}: {}", c.course_title),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": c.recipient_hash,
                "identityType": "emailAddress",
                "hashed": true,
                "salt": c.recipient_salt,
            }],
            "achievement": {
                "id": svc.api_url(&format!("/achievements/{}/{}", c.offering_id, c.kind.as_str())),
                "type": ["Achievement"],
                "name": format!("{kind_name}: {}", c.course_title),
                "description": format!("{} — {} ({} to {}), {} hours.", kind_name, c.course_title, c.start_date, c.end_date, c.hours),
                "criteria": { "narrative": criteria },
                "achievementType": "Certificate",
                "inLanguage": c.locale.as_str(),
                "creditsAvailable": c.hours,
            },
        },
        "credentialStatus": [
            status_entry(StatusPurpose::Revocation),
            status_entry(StatusPurpose::Suspension),
        ],
    });
    if let Some(until) = c.expires_at {
        vc["validUntil"] = Value::from(timestamp(until));
    }
    if let Some(grade) = c.final_grade {
        vc["credentialSubject"]["result"] = json!([{
            "type": ["Result"],
            "value": format!("{grade:.1}"),
        }]);
    }
    vc
}

/// The credential signed as a VC-JWT: the credential is the claim set (VC-JOSE-COSE),
/// with the registered claims a generic JWT library checks (`iss`, `jti`, `nbf`, `exp`).
pub(crate) fn sign(key: &SigningKey, vc: &Value) -> Result<String> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    header.typ = Some("vc+jwt".into());
    let mut claims = vc.clone();
    let issuer = vc["issuer"]["id"].clone();
    claims["iss"] = issuer;
    claims["jti"] = vc["id"].clone();
    if let Some(from) = vc["validFrom"].as_str().and_then(seconds) {
        claims["nbf"] = Value::from(from);
        claims["iat"] = Value::from(from);
    }
    if let Some(until) = vc["validUntil"].as_str().and_then(seconds) {
        claims["exp"] = Value::from(until);
    }
    let encoding = EncodingKey::from_rsa_pem(key.private_pem.as_bytes())
        .map_err(|e| CertificationError::Signing(e.to_string()))?;
    jsonwebtoken::encode(&header, &claims, &encoding)
        .map_err(|e| CertificationError::Signing(e.to_string()))
}

fn seconds(rfc3339: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.timestamp())
}

/// A status list: bit `i` (the first index is the first byte's leftmost bit) is set
/// for each index given; GZIP-compressed and multibase-encoded (`u` + base64url).
pub fn encode_status_list(set: &[i64]) -> Result<String> {
    let highest = set.iter().copied().max().unwrap_or(0).max(0) as usize;
    let bits = MIN_LIST_BITS.max((highest / 8 + 1) * 8);
    let mut bytes = vec![0u8; bits / 8];
    for &i in set {
        if let Ok(i) = usize::try_from(i) {
            bytes[i / 8] |= 0x80 >> (i % 8);
        }
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes)
        .and_then(|_| gz.finish())
        .map(|z| format!("u{}", URL_SAFE_NO_PAD.encode(z)))
        .map_err(|e| CertificationError::Signing(e.to_string()))
}

/// The Bitstring Status List credential of one purpose, listing every certificate
/// revoked (or suspended) now.
pub fn status_list(
    conn: &mut DbConnection,
    svc: &Certification,
    purpose: StatusPurpose,
) -> Result<Value> {
    let set = crate::record::ids_with_status(conn, purpose)?;
    let url = status_list_url(svc, purpose);
    Ok(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": svc.issuer_id(),
        "validFrom": timestamp(svc.now()),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": encode_status_list(&set)?,
        },
    }))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn status_lists_set_the_leftmost_bit_first_and_keep_the_minimum_size() {
        let encoded = encode_status_list(&[0, 9]).unwrap();
        let z = URL_SAFE_NO_PAD.decode(&encoded[1..]).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&z[..])
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(bytes.len(), MIN_LIST_BITS / 8);
        assert_eq!(bytes[0], 0b1000_0000);
        assert_eq!(bytes[1], 0b0100_0000);
        assert!(bytes[2..].iter().all(|b| *b == 0));
    }
}
