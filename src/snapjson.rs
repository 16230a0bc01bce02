//! Snapshot JSON: one small serde serializer and deserializer for
//! [`Hypervisor::snapshot`](crate::hypervisor::Hypervisor::snapshot) and
//! [`Hypervisor::restore`](crate::hypervisor::Hypervisor::restore).
//!
//! This exists for the size of the wasm build. Going through `serde_json::to_string` and
//! `serde_json::from_str` inlines the JSON text writer and parser into every derived impl of
//! the whole state, and the derived `Deserialize` impls also compile paths a snapshot never
//! takes (structs from arrays, field names as bytes or indices). Here, writing shares one
//! call per field (separator, quoted key, colon), and restore parses the text once into a
//! [`serde_json::Value`] (serde_json with `float_roundtrip`, so floats are exact) and converts
//! it with a deserializer that accepts exactly the shapes it writes: maps and keyed structs
//! as objects, sequences, tuples, [positional](positional) structs and the fields of struct
//! variants as arrays, enums externally tagged (a string for a unit variant, a one-entry
//! object otherwise), keys as strings. Numbers and strings are written byte for byte as
//! serde_json writes them.

use serde::de::{
    self, DeserializeSeed, EnumAccess, Error as _, MapAccess, SeqAccess, Unexpected, VariantAccess,
    Visitor,
};
use serde::forward_to_deserialize_any;
use serde::ser::{self, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::{Error, Value};

/// Structs written as arrays of their fields in declaration order instead of objects: the
/// bulky internal state (VM records, schedulers, trace, ledger, chassis). Reading an array
/// needs no field-name matching, so restoring them takes much less code; the top level, the
/// resource amounts and the events stay keyed. Writer and reader use this same rule, so a
/// struct may be added or removed here freely (the check folds away at compile time), as
/// long as it writes every field every time (no `skip_serializing_if`, no `flatten`).
#[inline(always)]
fn positional(name: &str) -> bool {
    matches!(
        name,
        "VmRecord"
            | "Current"
            | "Segment"
            | "Vm"
            | "Threshold"
            | "Credit"
            | "Entity"
            | "Key"
            | "Eevdf"
            | "Fcfs"
            | "RngState"
            | "Lottery"
            | "VmState"
            | "Bucket"
            | "Mlfq"
            | "Priority"
            | "FifoQueue"
            | "RoundRobin"
            | "Sjf"
            | "Srtf"
            | "ChassisSpec"
            | "HostReserve"
            | "SchedulerParams"
            | "SimpleMachinery"
            | "Ledger"
            | "Trace"
            | "EventLog"
            | "XcpngConfig"
    )
}

// ------------------------------------------------------------------ reading

/// Read `T` from snapshot JSON: parse it into a [`Value`] (refusing duplicate keys), then
/// convert. (`restore` does the two steps itself, to read the format version in between.)
#[cfg(test)]
pub(crate) fn from_str<T: de::DeserializeOwned>(json: &str) -> Result<T, Error> {
    from_value(&parse(json)?)
}

/// Parse snapshot text (objects with duplicate keys refused).
pub(crate) fn parse(json: &str) -> Result<Value, Error> {
    let Strict(v) = serde_json::from_str(json)?;
    Ok(v)
}

/// Convert a parsed snapshot into `T`.
pub(crate) fn from_value<'de, T: de::Deserialize<'de>>(v: &'de Value) -> Result<T, Error> {
    T::deserialize(De(v))
}

/// A JSON value whose objects had no duplicate keys (`Value` itself keeps the last one).
struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let Strict(v) = map.next_value()?;
            if out.contains_key(&k) {
                return Err(de::Error::custom(format_args!("duplicate key {k:?}")));
            }
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A value of the snapshot.
#[derive(Clone, Copy)]
struct De<'de>(&'de Value);

impl<'de> De<'de> {
    fn fail<V: Visitor<'de>, T>(self, visitor: &V) -> Result<T, Error> {
        Err(Error::invalid_type(unexpected(self.0), visitor))
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            _ => self.fail(&visitor),
        }
    }
}

/// Error unless every element of an array was consumed.
fn check_end(rest: usize, len: usize) -> Result<(), Error> {
    if rest == 0 {
        Ok(())
    } else {
        Err(Error::invalid_length(len, &"fewer elements in array"))
    }
}

impl<'de> de::Deserializer<'de> for De<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(_) => self.number(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.deserialize_seq(visitor),
            Value::Object(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => self.fail(&visitor),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Number(n) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            _ => self.fail(&visitor),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => self.fail(&visitor),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => self.fail(&visitor),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(a) => {
                let mut seq = Seq(a.iter());
                let out = visitor.visit_seq(&mut seq)?;
                check_end(seq.0.len(), a.len())?;
                Ok(out)
            }
            _ => self.fail(&visitor),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(Map {
                iter: m.iter(),
                value: None,
            }),
            _ => self.fail(&visitor),
        }
    }
    #[inline(always)]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if positional(name) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(Variant {
                tag: s,
                value: None,
            }),
            Value::Object(m) if m.len() == 1 => {
                let (tag, value) = m.iter().next().expect("one entry");
                visitor.visit_enum(Variant {
                    tag,
                    value: Some(value),
                })
            }
            _ => self.fail(&visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct Seq<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(v) => seed.deserialize(De(v)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(Key(k)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(De(v)),
            None => Err(Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An object key or an enum tag: always a string.
struct Key<'de>(&'de str);

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// An externally tagged enum value: the tag, and the content unless it is a unit variant.
struct Variant<'de> {
    tag: &'de str,
    value: Option<&'de Value>,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Error> {
        let v = seed.deserialize(Key(self.tag))?;
        Ok((v, self))
    }
}

impl<'de> Variant<'de> {
    fn content(self) -> Result<De<'de>, Error> {
        self.value
            .map(De)
            .ok_or_else(|| Error::invalid_type(Unexpected::UnitVariant, &"a variant with content"))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(Error::invalid_type(unexpected(v), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.content()?)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self.content()?, visitor)
    }

    /// Struct variants are positional: `{"Variant":[field, ...]}`.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self.content()?, visitor)
    }
}

// ------------------------------------------------------------------ writing

/// `v` as compact JSON: what `serde_json::to_string` writes, except that
/// [positional](positional) structs and the fields of struct variants are arrays.
pub(crate) fn to_string<T: ser::Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    let mut w = Writer(Vec::with_capacity(4096));
    v.serialize(&mut w)?;
    String::from_utf8(w.0).map_err(Error::custom)
}

struct Writer(Vec<u8>);

impl Writer {
    #[inline(never)]
    fn raw(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    #[inline(never)]
    fn u64(&mut self, v: u64) {
        let _ = CompactFormatter.write_u64(&mut self.0, v);
    }

    #[inline(never)]
    fn i64(&mut self, v: i64) {
        let _ = CompactFormatter.write_i64(&mut self.0, v);
    }

    #[inline(never)]
    fn f64(&mut self, v: f64) {
        if v.is_finite() {
            let _ = CompactFormatter.write_f64(&mut self.0, v);
        } else {
            self.raw("null");
        }
    }

    /// A JSON string, escaped as serde_json does.
    #[inline(never)]
    fn str(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let out = &mut self.0;
        out.push(b'"');
        let bytes = s.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let esc: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                0x0c => b"\\f",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ],
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(esc);
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
        out.push(b'"');
    }

    /// Separator before an element or entry: nothing before the first.
    #[inline(never)]
    fn sep(&mut self, first: &mut bool) {
        if !std::mem::take(first) {
            self.0.push(b',');
        }
    }

    /// `"key":` of a struct field, with its separator.
    #[inline(never)]
    fn field(&mut self, first: &mut bool, key: &str) {
        self.sep(first);
        self.str(key);
        self.0.push(b':');
    }

    /// Open an externally tagged variant with content: `{"variant":` then `open`.
    fn variant(&mut self, variant: &str, open: &str) {
        self.raw("{");
        self.str(variant);
        self.raw(":");
        self.raw(open);
    }
}

/// An array or object being written; `end` closes it (and the variant wrapper, if any).
struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    end: &'static str,
    /// A positional struct: fields are written without their names.
    positional: bool,
}

impl<'a> Compound<'a> {
    fn open(w: &'a mut Writer, open: &str, end: &'static str, positional: bool) -> Self {
        w.raw(open);
        Compound {
            w,
            first: true,
            end,
            positional,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.w.sep(&mut self.first);
        v.serialize(&mut *self.w)
    }

    fn close(self) -> Result<(), Error> {
        self.w.raw(self.end);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.raw(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.i64(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.u64(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.f64(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = Compound::open(self, "[", "]", false);
        for b in v {
            seq.element(b)?;
        }
        seq.close()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.raw("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.variant(variant, "");
        v.serialize(&mut *self)?;
        self.raw("}");
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, "[", "]", false))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.variant(variant, "[");
        Ok(Compound {
            w: self,
            first: true,
            end: "]}",
            positional: false,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound::open(self, "{", "}", false))
    }
    #[inline(always)]
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>, Error> {
        Ok(if positional(name) {
            Compound::open(self, "[", "]", true)
        } else {
            Compound::open(self, "{", "}", false)
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.variant(variant, "[");
        Ok(Compound {
            w: self,
            first: true,
            end: "]}",
            positional: true,
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // JSON keys are strings; every map of the state is keyed by strings.
        let at = self.w.0.len() + usize::from(!self.first);
        self.element(key)?;
        if self.w.0.get(at) != Some(&b'"') {
            return Err(Error::custom("key must be a string"));
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.w.raw(":");
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        if self.positional {
            self.w.sep(&mut self.first);
        } else {
            self.w.field(&mut self.first, key);
        }
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum E {
        Unit,
        New(u32),
        Tup(i64, bool),
        Rec { a: Option<String>, b: f64 },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Keyed {
        some_text: String,
        n: u64,
        i: i64,
        x: f64,
        opt: Option<u8>,
        list: Vec<E>,
        map: BTreeMap<String, (u64, u32)>,
        c: char,
    }

    /// The same fields under a positional name.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename = "Current")]
    struct Pos {
        a: u64,
        b: Option<String>,
        e: E,
    }

    fn sample() -> Keyed {
        Keyed {
            some_text: "quote \" backslash \\ nl \n tab \t ctl \u{1} \u{1f} del \u{7f} é ✓ 😀"
                .into(),
            n: u64::MAX,
            i: i64::MIN,
            x: 0.1 + 0.2,
            opt: None,
            list: vec![E::Unit, E::New(7), E::Tup(-3, true)],
            map: [("k".to_string(), (1, 2)), ("".to_string(), (0, 0))].into(),
            c: 'ß',
        }
    }

    fn back<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, Error> {
        from_str(json)
    }

    #[test]
    fn keyed_output_is_what_serde_json_writes() {
        let v = sample();
        assert_eq!(to_string(&v).unwrap(), serde_json::to_string(&v).unwrap());
        for x in [
            f64::NAN,
            f64::INFINITY,
            1e300,
            5e-324,
            -1.5,
            1.0 / 3.0,
            1e21,
            123.0,
        ] {
            assert_eq!(to_string(&x).unwrap(), serde_json::to_string(&x).unwrap());
        }
        assert_eq!(back::<Keyed>(&to_string(&v).unwrap()).unwrap(), v);
    }

    #[test]
    fn floats_round_trip_exactly() {
        let mut x = 1e-310_f64;
        while x < 1e300 {
            for y in [x, -x, x * 1.000_000_000_000_1, 1.0 / x]
                .into_iter()
                .filter(|y| y.is_finite())
            {
                let z: f64 = back(&to_string(&y).unwrap()).unwrap();
                assert_eq!(z.to_bits(), y.to_bits(), "{y:e}");
            }
            x *= 3.7;
        }
    }

    #[test]
    fn positional_structs_are_arrays() {
        let p = Pos {
            a: 5,
            b: None,
            e: E::Rec { a: None, b: 2.5 },
        };
        let json = to_string(&p).unwrap();
        assert_eq!(json, r#"[5,null,{"Rec":[null,2.5]}]"#);
        assert_eq!(back::<Pos>(&json).unwrap(), p);
        let rec = E::Rec {
            a: Some("x".into()),
            b: -0.0,
        };
        let json = to_string(&rec).unwrap();
        assert_eq!(json, r#"{"Rec":["x",-0.0]}"#);
        assert_eq!(back::<E>(&json).unwrap(), rec);
        assert!(back::<E>(r#"{"Rec":{"a":"x","b":0}}"#).is_err());
        // Wrong lengths, wrong types and objects are refused.
        for bad in [
            r#"[5,null]"#,
            r#"[5,null,"Unit",1]"#,
            r#"["5",null,"Unit"]"#,
            r#"{"a":5,"b":null,"e":"Unit"}"#,
        ] {
            assert!(back::<Pos>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_written_shapes_are_accepted() {
        for bad in [
            r#"{"some_text":"x"}"#,
            r#"["x",1,2,0.5,null,[],{},"c"]"#,
            r#"{"someText":"","n":-1,"i":0,"x":0,"opt":null,"list":[],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":256,"list":[],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":[{"Unit":null,"New":1}],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":["Nope"],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":["New"],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":[],"map":{"k":[1,2,3]},"c":"c"}"#,
            r#"{"someText":"","n":1,"n":1,"i":0,"x":0,"opt":null,"list":[],"map":{},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":[],"map":{"k":[1,2],"k":[1,2]},"c":"c"}"#,
            r#"{"someText":"","n":1,"i":0,"x":0,"opt":null,"list":[],"map":{},"c":"c"} 1"#,
            r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
        ] {
            assert!(back::<Keyed>(bad).is_err(), "{bad}");
        }
        let ok =
            r#"{"someText":"","n":1,"i":-2,"x":3,"opt":4,"list":[{"Unit":null}],"map":{},"c":"c"}"#;
        let k: Keyed = back(ok).unwrap();
        assert_eq!(
            (k.i, k.x, k.opt, &k.list[..]),
            (-2, 3.0, Some(4), &[E::Unit][..])
        );
    }

    #[test]
    fn map_keys_must_be_strings() {
        let m: BTreeMap<u32, u32> = [(1, 2)].into();
        assert!(to_string(&m).is_err());
    }
}
