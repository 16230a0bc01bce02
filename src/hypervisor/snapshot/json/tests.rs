//! The codec's own tests: output identical to serde_json's for keyed values, exact float
//! round trips, positional structs as arrays, and only the written shapes accepted.

use super::{from_str, to_string};
use serde::{Deserialize, Serialize};
use serde_json::Error;
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
        some_text: "quote \" backslash \\ nl \n tab \t ctl \u{1} \u{1f} del \u{7f} é ✓ 😀".into(),
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
