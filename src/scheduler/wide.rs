//! Exact 128-bit arithmetic for the fixed-point policies (credit, EEVDF), with a 64-bit path.
//!
//! wasm32 has no 128-bit multiply or divide instruction: every `i128` `*`, `/` or
//! `div_euclid` is a call into the compiler's runtime library. The operands in credit and
//! EEVDF accounting are usually far below 2^63, so these helpers use one 64-bit instruction
//! whenever the operands (and, for products, the result) fit, and plain `i128` otherwise.
//! The results are identical to `i128` arithmetic for every input, on every target.

/// `a × b`, exactly (panics on `i128` overflow in debug builds, like `*`).
#[inline]
pub fn mul(a: i128, b: i128) -> i128 {
    if let (Ok(x), Ok(y)) = (i64::try_from(a), i64::try_from(b)) {
        // |x| < 2^(64 − lz(x)) and |y| < 2^(64 − lz(y)), so |x·y| < 2^(128 − lz(x) − lz(y)),
        // which is ≤ 2^63 when the leading zeros add up to at least 65.
        if x.unsigned_abs().leading_zeros() + y.unsigned_abs().leading_zeros() >= 65 {
            return i128::from(x * y);
        }
    }
    a * b
}

/// `a.div_euclid(b)`, exactly (panics when `b == 0`, like `div_euclid`).
#[inline]
pub fn div_euclid(a: i128, b: i128) -> i128 {
    if let (Ok(x), Ok(y)) = (i64::try_from(a), i64::try_from(b)) {
        if y != 0 && !(x == i64::MIN && y == -1) {
            return i128::from(x.div_euclid(y));
        }
    }
    a.div_euclid(b)
}

/// `a / b` truncated towards zero, exactly (panics when `b == 0`, like `/`).
#[inline]
pub fn div(a: i128, b: i128) -> i128 {
    if let (Ok(x), Ok(y)) = (i64::try_from(a), i64::try_from(b)) {
        if y != 0 && !(x == i64::MIN && y == -1) {
            return i128::from(x / y);
        }
    }
    a / b
}

/// `i128` fields as decimal strings in snapshots: JSON readers outside Rust (JavaScript's
/// `JSON.parse` among them) would round numbers beyond 2^53.
pub mod decimal {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values near the 64-bit boundaries, where the fast path must hand over.
    fn edgy() -> impl Strategy<Value = i128> {
        prop_oneof![
            any::<i64>().prop_map(i128::from),
            (-(1i128 << 70)..(1i128 << 70)),
            (0u32..127, any::<bool>(), -3i128..=3).prop_map(|(s, neg, d)| {
                let v = (1i128 << s) + d;
                if neg {
                    -v
                } else {
                    v
                }
            }),
            Just(i128::from(i64::MIN)),
            Just(i128::from(i64::MAX)),
            Just(-1),
            Just(0),
        ]
    }

    proptest! {
        #[test]
        fn products_match_i128(a in edgy(), b in edgy()) {
            if let Some(p) = a.checked_mul(b) {
                prop_assert_eq!(mul(a, b), p);
            }
        }

        #[test]
        fn quotients_match_i128(a in edgy(), b in edgy()) {
            prop_assume!(b != 0 && !(a == i128::MIN && b == -1));
            prop_assert_eq!(div_euclid(a, b), a.div_euclid(b));
            prop_assert_eq!(div(a, b), a / b);
        }
    }

    #[test]
    fn the_64_bit_boundaries() {
        let min = i128::from(i64::MIN);
        assert_eq!(div_euclid(min, -1), -min);
        assert_eq!(div(min, -1), -min);
        assert_eq!(mul(min, -1), -min);
        assert_eq!(mul(1 << 32, 1 << 31), 1 << 63);
        assert_eq!(mul(-(1 << 32), 1 << 31), -(1 << 63));
        assert_eq!(div_euclid(-7, 2), -4);
        assert_eq!(div(-7, 2), -3);
    }
}
