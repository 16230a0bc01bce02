//! Whether a value's JSON text means exactly the same thing to JavaScript's `JSON.parse`.
//!
//! The JS bindings build large results (metrics of hundreds of VMs, genome summaries) as JSON
//! text and one `JSON.parse`, which is several times faster than building them one property
//! at a time; they may only do so when the two give the same value. serde_json's text loses
//! meaning for JavaScript where it writes a non-finite float (as `null`), an integer beyond
//! 2^53 − 1 (JS numbers round it), an f32 (its shortest decimal is another f64), bytes (an array of numbers, not a byte array) or a map key
//! that `JSON.parse` treats as an ordinary property but an object built key by key does not
//! (`__proto__`), and where a map key is not a string. [`json_safe`] walks the value once,
//! without writing anything, and says whether none of these occur.

use serde::ser::{self, Impossible, Serialize};

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// True when `JSON.parse(serde_json::to_string(v))` equals the value serialised field by field
/// (serde-wasm-bindgen's `json_compatible` form).
pub fn json_safe<T: Serialize + ?Sized>(v: &T) -> bool {
    v.serialize(Check).is_ok()
}

/// The one failure: the value is not JSON-safe.
#[derive(Debug)]
pub struct Unsafe;

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not representable in JSON for JavaScript")
    }
}
impl std::error::Error for Unsafe {}
impl ser::Error for Unsafe {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsafe
    }
}

type Res = Result<(), Unsafe>;

fn ok_if(cond: bool) -> Res {
    if cond {
        Ok(())
    } else {
        Err(Unsafe)
    }
}

fn int_ok(v: i128) -> Res {
    ok_if(v.unsigned_abs() <= u128::from(MAX_SAFE_INTEGER))
}

/// The walker.
#[derive(Clone, Copy)]
struct Check;

/// Map keys: strings only, and never `__proto__`.
struct Key;

macro_rules! ints {
    ($($m:ident: $t:ty),*) => {$(
        fn $m(self, v: $t) -> Res { int_ok(v as i128) }
    )*};
}

macro_rules! refuse {
    ($($m:ident: $t:ty),*) => {$(
        fn $m(self, _: $t) -> Res { Err(Unsafe) }
    )*};
}

/// The methods that open a sequence, tuple, map or struct (and their variants), each giving
/// `$ret` through `$make(self)`.
macro_rules! compound {
    ($ret:ty, $make:expr) => {
        compound!(@ $ret, $make; serialize_seq(Option<usize>), serialize_tuple(usize),
            serialize_tuple_struct(&'static str, usize),
            serialize_tuple_variant(&'static str, u32, &'static str, usize),
            serialize_map(Option<usize>), serialize_struct(&'static str, usize),
            serialize_struct_variant(&'static str, u32, &'static str, usize));
    };
    (@ $ret:ty, $make:expr; $($m:ident($($a:ty),*)),*) => {$(
        #[allow(clippy::redundant_closure_call)]
        fn $m(self, $(_: $a),*) -> Result<$ret, Unsafe> {
            ($make)(self)
        }
    )*};
}

impl ser::Serializer for Check {
    type Ok = ();
    type Error = Unsafe;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
          serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    refuse!(serialize_bytes: &[u8], serialize_i128: i128, serialize_u128: u128);

    fn serialize_bool(self, _: bool) -> Res {
        Ok(())
    }
    /// JSON text holds an f32's shortest decimal, which JS reads as a different f64 than the
    /// f32's exact value; no result has f32s, so they are simply refused.
    fn serialize_f32(self, _: f32) -> Res {
        Err(Unsafe)
    }
    fn serialize_f64(self, v: f64) -> Res {
        ok_if(v.is_finite())
    }
    fn serialize_char(self, _: char) -> Res {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Res {
        Ok(())
    }
    fn serialize_none(self) -> Res {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Res {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Res {
        v.serialize(self)
    }
    compound!(Self, Ok);
}

/// Sequences, tuples and their variants: every element is checked.
macro_rules! elements {
    ($($tr:ident :: $m:ident),*) => {$(
        impl ser::$tr for Check {
            type Ok = ();
            type Error = Unsafe;
            fn $m<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
                v.serialize(*self)
            }
            fn end(self) -> Res {
                Ok(())
            }
        }
    )*};
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Structs: field names are Rust identifiers (never `__proto__`); values are checked.
macro_rules! fields {
    ($($tr:ident),*) => {$(
        impl ser::$tr for Check {
            type Ok = ();
            type Error = Unsafe;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, v: &T) -> Res {
                v.serialize(*self)
            }
            fn end(self) -> Res {
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Check {
    type Ok = ();
    type Error = Unsafe;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Res {
        k.serialize(Key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Res {
        v.serialize(*self)
    }
    fn end(self) -> Res {
        Ok(())
    }
}

impl ser::Serializer for Key {
    type Ok = ();
    type Error = Unsafe;
    type SerializeSeq = Impossible<(), Unsafe>;
    type SerializeTuple = Impossible<(), Unsafe>;
    type SerializeTupleStruct = Impossible<(), Unsafe>;
    type SerializeTupleVariant = Impossible<(), Unsafe>;
    type SerializeMap = Impossible<(), Unsafe>;
    type SerializeStruct = Impossible<(), Unsafe>;
    type SerializeStructVariant = Impossible<(), Unsafe>;

    fn serialize_str(self, k: &str) -> Res {
        ok_if(k != "__proto__")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, name: &'static str) -> Res {
        self.serialize_str(name)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Res {
        v.serialize(self)
    }

    refuse!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
                serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
                serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
                serialize_f64: f64, serialize_char: char, serialize_bytes: &[u8],
                serialize_unit_struct: &'static str);

    fn serialize_none(self) -> Res {
        Err(Unsafe)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Res {
        Err(Unsafe)
    }
    fn serialize_unit(self) -> Res {
        Err(Unsafe)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Res {
        Err(Unsafe)
    }
    compound!(Impossible<(), Unsafe>, |_| Err(Unsafe));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct S {
        a: f64,
        b: Option<u64>,
        c: Vec<i64>,
        m: BTreeMap<String, f64>,
    }

    fn s() -> S {
        S {
            a: 1.5,
            b: Some(MAX_SAFE_INTEGER),
            c: vec![-(MAX_SAFE_INTEGER as i64), 0],
            m: BTreeMap::from([("x".to_string(), 2.0)]),
        }
    }

    #[test]
    fn ordinary_values_are_safe() {
        assert!(json_safe(&s()));
        assert!(json_safe(&"text \u{1F9EC} \"quoted\""));
        assert!(json_safe(&(None::<f64>, (), 'c', true)));
    }

    #[test]
    fn each_unsafe_part_is_caught_wherever_it_sits() {
        let mut v = s();
        v.a = f64::NAN;
        assert!(!json_safe(&v));
        let mut v = s();
        v.a = f64::NEG_INFINITY;
        assert!(!json_safe(&v));
        let mut v = s();
        v.b = Some(MAX_SAFE_INTEGER + 1);
        assert!(!json_safe(&v));
        let mut v = s();
        v.c.push(-(MAX_SAFE_INTEGER as i64) - 1);
        assert!(!json_safe(&v));
        let mut v = s();
        v.m.insert("__proto__".into(), 1.0);
        assert!(!json_safe(&v));
        let mut v = s();
        v.m.insert("y".into(), f64::INFINITY);
        assert!(!json_safe(&v));
        assert!(!json_safe(&BTreeMap::from([(1u32, 1.0)])));
        assert!(!json_safe(&serde_bytes_like()));
        assert!(!json_safe(&1i128));
        assert!(!json_safe(&0.1f32));
    }

    /// A value that serialises as bytes.
    fn serde_bytes_like() -> impl Serialize {
        struct B;
        impl Serialize for B {
            fn serialize<Z: ser::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
                s.serialize_bytes(&[1, 2])
            }
        }
        B
    }
}
