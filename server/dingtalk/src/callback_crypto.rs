//! DingTalk event-callback crypto (HTTP push mode).
//!
//! * `EncodingAESKey`: 43 characters; the AES key is `Base64Decode(key + "=")`
//!   (32 bytes). DingTalk's keys are usually *non-canonical* Base64 (the two
//!   dropped bits are not zero), so trailing bits must be allowed.
//! * AES-256-CBC, IV = first 16 bytes of the key, PKCS#7 padding to **32**-byte blocks.
//! * Plaintext = 16 random ASCII characters ‖ big-endian `u32` message length ‖
//!   message ‖ owner key (AppKey, CorpId or SuiteKey), checked on decryption.
//! * Signature = lowercase hex SHA-1 of `token`, `timestamp`, `nonce` and the
//!   Base64 ciphertext, sorted and concatenated.

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use sha1::{Digest, Sha1};
use std::fmt;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

const PAD_BLOCK: usize = 32;
const RANDOM_LEN: usize = 16;

/// Standard alphabet, padding optional, non-zero trailing bits accepted.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the EncodingAESKey must be 43 characters of A-Z, a-z, 0-9")]
    BadAesKey,
    #[error("the signature does not match")]
    BadSignature,
    #[error("the encrypted message is not valid Base64")]
    BadBase64,
    #[error("the encrypted message has an invalid length or padding")]
    BadCiphertext,
    #[error("the decrypted message is malformed")]
    BadPlaintext,
    #[error("the message belongs to another owner key")]
    WrongOwner,
}

/// The secrets of one callback subscription. `Debug` hides them.
#[derive(Clone)]
pub struct CallbackCrypto {
    token: String,
    key: [u8; 32],
    owner_key: String,
}

impl fmt::Debug for CallbackCrypto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackCrypto")
            .field("owner_key", &self.owner_key)
            .finish_non_exhaustive()
    }
}

/// An encrypted message as it travels: the Base64 ciphertext and its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub encrypt: String,
    pub signature: String,
}

/// Lowercase hex SHA-1 over the sorted, concatenated parts.
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> String {
    let mut parts = [token, timestamp, nonce, encrypt];
    parts.sort_unstable();
    let mut sha = Sha1::new();
    for p in parts {
        sha.update(p.as_bytes());
    }
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes an EncodingAESKey into the 32-byte AES key.
pub fn aes_key(encoding_aes_key: &str) -> Result<[u8; 32], CryptoError> {
    if encoding_aes_key.len() != 43 || !encoding_aes_key.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(CryptoError::BadAesKey);
    }
    let bytes = LENIENT
        .decode(format!("{encoding_aes_key}="))
        .map_err(|_| CryptoError::BadAesKey)?;
    bytes.try_into().map_err(|_| CryptoError::BadAesKey)
}

/// A fresh EncodingAESKey (43 alphanumerics) for a new connection.
pub fn generate_encoding_aes_key() -> String {
    random_alnum(43)
}

/// A fresh callback token for a new connection.
pub fn generate_token() -> String {
    random_alnum(32)
}

fn random_alnum(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

impl CallbackCrypto {
    pub fn new(token: &str, encoding_aes_key: &str, owner_key: &str) -> Result<Self, CryptoError> {
        Ok(Self {
            token: token.to_owned(),
            key: aes_key(encoding_aes_key)?,
            owner_key: owner_key.to_owned(),
        })
    }

    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        signature(&self.token, timestamp, nonce, encrypt)
    }

    /// Checks the signature (in constant time), then decrypts and checks the owner key.
    pub fn open(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<String, CryptoError> {
        use subtle::ConstantTimeEq;
        let expected = self.signature(timestamp, nonce, encrypt);
        if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
            return Err(CryptoError::BadSignature);
        }
        self.decrypt(encrypt)
    }

    /// Encrypts `message` and signs it (the reply to DingTalk is `seal("success", …)`).
    pub fn seal(&self, message: &str, timestamp: &str, nonce: &str) -> Sealed {
        let random = random_alnum(RANDOM_LEN);
        self.seal_with_random(message, timestamp, nonce, random.as_bytes())
    }

    /// As [`seal`](Self::seal) with a given 16-byte random prefix (for reproducible tests).
    pub fn seal_with_random(
        &self,
        message: &str,
        timestamp: &str,
        nonce: &str,
        random: &[u8],
    ) -> Sealed {
        let encrypt = self.encrypt(message, random);
        let signature = self.signature(timestamp, nonce, &encrypt);
        Sealed { encrypt, signature }
    }

    fn encrypt(&self, message: &str, random: &[u8]) -> String {
        let mut buf =
            Vec::with_capacity(RANDOM_LEN + 4 + message.len() + self.owner_key.len() + PAD_BLOCK);
        buf.extend_from_slice(random);
        buf.extend_from_slice(&(message.len() as u32).to_be_bytes());
        buf.extend_from_slice(message.as_bytes());
        buf.extend_from_slice(self.owner_key.as_bytes());
        let pad = PAD_BLOCK - buf.len() % PAD_BLOCK;
        buf.extend(std::iter::repeat_n(pad as u8, pad));
        let len = buf.len();
        let cipher = Encryptor::new(&self.key.into(), self.key[..16].into());
        let out = cipher
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    /// Decrypts a Base64 ciphertext and checks its padding, length and owner key.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptoError> {
        let compact: String = encrypt.chars().filter(|c| !c.is_whitespace()).collect();
        let mut data = LENIENT
            .decode(compact)
            .map_err(|_| CryptoError::BadBase64)?;
        if data.is_empty() || data.len() % PAD_BLOCK != 0 {
            return Err(CryptoError::BadCiphertext);
        }
        let cipher = Decryptor::new(&self.key.into(), self.key[..16].into());
        let plain = cipher
            .decrypt_padded_mut::<NoPadding>(&mut data)
            .map_err(|_| CryptoError::BadCiphertext)?;
        let pad = *plain.last().ok_or(CryptoError::BadCiphertext)? as usize;
        if pad == 0
            || pad > PAD_BLOCK
            || plain[plain.len() - pad..]
                .iter()
                .any(|&b| b as usize != pad)
        {
            return Err(CryptoError::BadCiphertext);
        }
        let body = &plain[..plain.len() - pad];
        if body.len() < RANDOM_LEN + 4 {
            return Err(CryptoError::BadPlaintext);
        }
        let len_bytes: [u8; 4] = body[RANDOM_LEN..RANDOM_LEN + 4]
            .try_into()
            .map_err(|_| CryptoError::BadPlaintext)?;
        let len = u32::from_be_bytes(len_bytes) as usize;
        let rest = &body[RANDOM_LEN + 4..];
        if len > rest.len() {
            return Err(CryptoError::BadPlaintext);
        }
        let (message, owner) = rest.split_at(len);
        if owner != self.owner_key.as_bytes() {
            return Err(CryptoError::WrongOwner);
        }
        String::from_utf8(message.to_vec()).map_err(|_| CryptoError::BadPlaintext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Vector {
        token: &'static str,
        aes_key: &'static str,
        owner: &'static str,
        signature: &'static str,
        timestamp: &'static str,
        nonce: &'static str,
        encrypt: &'static str,
        plain: &'static str,
    }

    // The official vectors from the DingTalk reference (§7.4).
    const OFFICIAL: [Vector; 3] = [
        Vector {
            token: "123456",
            aes_key: "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij",
            owner: "suite4xxxxxxxxxxxxxxx",
            signature: "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0",
            timestamp: "1445827045067",
            nonce: "nEXhMP4r",
            encrypt: "1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==",
            plain: r#"{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}"#,
        },
        Vector {
            token: "mryue",
            aes_key: "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
            owner: "ding6ccabc44d2c8d38b",
            signature: "03044561471240d4a14bb09372dfcfd4fd0e40cb",
            timestamp: "1608001896814",
            nonce: "WL4PK6yA",
            encrypt: "0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3",
            plain: r#"{"EventType":"check_url"}"#,
        },
        Vector {
            token: "123456",
            aes_key: "1234567890123456789012345678901234567890123",
            owner: "dingsnotzck6pm5veliw",
            signature: "9a95a004dd16f5c307e849b994173f76aa26e5eb",
            timestamp: "1614767836",
            nonce: "A7Co0cJLMzIDtMMI",
            encrypt: "YvkvaGe4hQxd3VxRmEty0dVlnCOAqwf56xwTRHDHoOURqhalbmBJQk5FNcRk42Gl5T0YQXZNwpwWSm1xAFJ5ZA==",
            plain: "success",
        },
    ];

    #[test]
    fn official_vectors_verify_and_decrypt() {
        for v in OFFICIAL {
            let c = CallbackCrypto::new(v.token, v.aes_key, v.owner).unwrap();
            assert_eq!(
                c.signature(v.timestamp, v.nonce, v.encrypt),
                v.signature,
                "{}",
                v.aes_key
            );
            assert_eq!(
                c.open(v.signature, v.timestamp, v.nonce, v.encrypt)
                    .unwrap(),
                v.plain
            );
        }
    }

    #[test]
    fn non_canonical_keys_decode_where_a_strict_decoder_refuses() {
        let key = "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";
        assert!(base64::engine::general_purpose::STANDARD
            .decode(format!("{key}="))
            .is_err());
        assert_eq!(aes_key(key).unwrap().len(), 32);
        assert_eq!(aes_key("too-short"), Err(CryptoError::BadAesKey));
        assert_eq!(aes_key(&"+".repeat(43)), Err(CryptoError::BadAesKey));
    }

    const SIM_KEY: &str = "Sim0Key1For2DingTalk3Callback4Test5Vector6A";
    const SIM_PLAIN: &str = r#"{"EventType":"attendance_check_record","EventTime":1700000000000,"CorpId":"dingsimcorp0001","BizId":"1700000000000","eventId":"evt0001","dataList":[{"userId":"u001","corpId":"dingsimcorp0001","checkTime":1699999980000,"locationResult":"Normal","groupId":"123","bizId":"biz0001","locationMethod":"MAP","checkByUser":true,"address":"Sim Office"}]}"#;

    #[test]
    fn our_pinned_vector_is_reproduced_exactly() {
        let c = CallbackCrypto::new("simToken123", SIM_KEY, "dingsimappkey0001").unwrap();
        let key_hex: String = aes_key(SIM_KEY)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            key_hex,
            "4a29b429ecb5168af60e29e04da964dc26a595b69c9384deb2de5579cb68afa0"
        );
        let sealed =
            c.seal_with_random(SIM_PLAIN, "1700000000000", "nonce123", b"RandomSixteen16B");
        assert_eq!(sealed.encrypt, "OfN2uUe+9QioQAJBAdRnAfv3vA8bDkONXhXgIH2rNyE2/SFzSBMb90l4NQJbwO+7aaJ9I2/q5+enZGgCNzInYXoin6jAOlNnFSiwSe+b/+55IobLGbsmYzg3ljrThkOZkdCzWOKTqwIGek1cNxPeLE7FySyAFW/FZe1WVC95wKrWuqbeYIOVLMjy2OKHMs0bwR8Fy9avosLbxu/AaBp1yFiml6gBur7fKrmsp9HfGofSLAaXdWXWLiZaf71RJ2zBBE5okt0qDo6xpPUJIuE5y1aLYa/ED5WLCL4MKVam5Q1y3/9HrM9wJAEKoZHd+2/KLdjS1PsxNVTDcfUK/hEeeTqF0KrIsgbA5oiqZXdjNDhxpOvgdEBzGS7VInOpIHYC99Nl+2tLewK5+YEzvAtUJP08s1Ew3O/rXFPmFfXzOyn76PARFsSAQKqUAu+bGwjoWSw9D/Zlbt9gozPRzJuTSf9JjpNw8wE/LHnYrBjjGp0nBy8/ZoG8mp6CH+BaU6iZ");
        assert_eq!(sealed.signature, "4092373a93c26e656dc87bc29eff34f2f65a34db");
        let reply = c.seal_with_random(
            "success",
            "1700000000123",
            "respNonce1",
            b"SuccessRandom16B",
        );
        assert_eq!(reply.encrypt, "9XzguKHxO+xCO3J4O9yOocUjPRhmlQKGc0tLmbJnVb07ljTu5wNtaExjD0aJ29ys4RfngIxTMsEVZt8+zmBHJw==");
        assert_eq!(reply.signature, "f047f66ec217cbc8456d76aa474b217d0898f471");
    }

    #[test]
    fn a_wrong_owner_key_is_refused() {
        let ours = CallbackCrypto::new("t", SIM_KEY, "dingsimappkey0001").unwrap();
        let theirs = CallbackCrypto::new("t", SIM_KEY, "dingotherapp").unwrap();
        let sealed = ours.seal("{}", "1", "n");
        assert_eq!(
            theirs.open(&sealed.signature, "1", "n", &sealed.encrypt),
            Err(CryptoError::WrongOwner)
        );
    }

    #[test]
    fn round_trips_any_message_including_chinese_and_block_boundaries() {
        let c = CallbackCrypto::new("tok", &generate_encoding_aes_key(), "dingapp").unwrap();
        for len in [0, 1, 5, 6, 11, 12, 31, 32, 33, 200] {
            let message: String = "考勤".chars().cycle().take(len).collect();
            let sealed = c.seal(&message, "1700000000000", "abc");
            assert_eq!(
                c.open(&sealed.signature, "1700000000000", "abc", &sealed.encrypt)
                    .unwrap(),
                message
            );
        }
    }

    #[test]
    fn tampering_with_any_single_byte_is_refused() {
        let c = CallbackCrypto::new("simToken123", SIM_KEY, "dingsimappkey0001").unwrap();
        let sealed = c.seal(SIM_PLAIN, "1700000000000", "nonce123");
        let inputs = [
            sealed.signature.clone(),
            "1700000000000".into(),
            "nonce123".into(),
            sealed.encrypt.clone(),
        ];
        for part in 0..inputs.len() {
            for at in 0..inputs[part].len() {
                let mut tampered = inputs.clone();
                let mut bytes = tampered[part].clone().into_bytes();
                bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
                tampered[part] = String::from_utf8(bytes).unwrap();
                let [sig, ts, nonce, enc] = &tampered;
                assert!(
                    c.open(sig, ts, nonce, enc).is_err(),
                    "part {part} byte {at} accepted"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_tampering_of_the_ciphertext_is_refused(index in 0usize..1000, bit in 0u8..8) {
            let c = CallbackCrypto::new("simToken123", SIM_KEY, "dingsimappkey0001").unwrap();
            let sealed = c.seal(SIM_PLAIN, "1700000000000", "nonce123");
            let mut raw = base64::engine::general_purpose::STANDARD.decode(&sealed.encrypt).unwrap();
            let i = index % raw.len();
            raw[i] ^= 1 << bit;
            let forged = base64::engine::general_purpose::STANDARD.encode(&raw);
            // With the original signature, and even re-signed by someone who knows the token:
            proptest::prop_assert!(c.open(&sealed.signature, "1700000000000", "nonce123", &forged).is_err());
            let resigned = c.signature("1700000000000", "nonce123", &forged);
            let opened = c.open(&resigned, "1700000000000", "nonce123", &forged);
            proptest::prop_assert!(opened.as_deref() != Ok(SIM_PLAIN));
        }
    }
}
