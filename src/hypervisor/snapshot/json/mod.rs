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
//!
//! The codec knows nothing of the hypervisor (it imports nothing of this crate): `shape`
//! says which structs are written positionally, `read` and `write` are the two directions.

mod read;
mod shape;
#[cfg(test)]
mod tests;
mod write;

#[cfg(test)]
pub(crate) use read::from_str;
pub(crate) use read::{from_value, parse};
pub(crate) use write::to_string;
