//! Deterministic randomness: every value is a pure function of its inputs.

use rand::rngs::StdRng;
use rand::SeedableRng;

/// SplitMix64 finaliser: a good 64-bit mix.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of several parts (order matters).
pub fn hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x5151_5EED_u64, |acc, p| mix(acc ^ mix(*p)))
}

/// A random generator seeded by the parts.
pub fn rng(parts: &[u64]) -> StdRng {
    StdRng::seed_from_u64(hash(parts))
}

/// What a stream of randomness is used for (keeps streams independent).
#[derive(Clone, Copy)]
#[repr(u64)]
pub enum Stream {
    Person = 1,
    Week = 2,
    Day = 3,
}
