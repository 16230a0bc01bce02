//! Sessions carry MLFQ's per-level lists (OSTEP mlfq.py's -Q and -A): read, written back,
//! replayed into the scheduler's parameters, and refused by path when bad.

use super::*;
use crate::scheduler::SchedulerKind;

fn session(options: &str) -> String {
    format!(
        r#"{{
  "format": "bioxen-session",
  "version": 1,
  "chassis": "textbook",
  "scheduler": "fcfs",
  "options": {{}},
  "ops": [
{{ "atMs": 0, "op": "setScheduler", "name": "mlfq", "options": {options} }}
  ],
  "endMs": 10
}}"#
    )
}

#[test]
fn mlfq_lists_are_read_written_and_replayed() {
    let text = session(
        r#"{ "mlfqLevels": 2, "mlfqQuantaMs": [5, 7], "mlfqAllotments": [2, 1], "mlfqBoostRule": "ostep" }"#,
    );
    let s = parse(&text, Syntax::Json).unwrap();
    let Op::SetScheduler {
        options: Some(o), ..
    } = &s.ops[0].op
    else {
        panic!("{:?}", s.ops[0]);
    };
    assert_eq!(o.mlfq_quanta_ms.as_deref(), Some(&[5, 7][..]));
    assert_eq!(o.mlfq_allotments.as_deref(), Some(&[2, 1][..]));
    let back = to_json(&s);
    assert!(back.contains("\"mlfqQuantaMs\": [\n"), "{back}");
    assert_eq!(parse(&back, Syntax::Json).unwrap(), s);
    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    let p = r.hypervisor.scheduler_params();
    assert_eq!(r.hypervisor.scheduler_kind(), SchedulerKind::Mlfq);
    assert_eq!(p.mlfq_levels, 2);
    assert_eq!(&p.mlfq_quanta_ms[..3], &[5, 7, 0]);
    assert_eq!(&p.mlfq_allotments[..3], &[2, 1, 0]);
    assert_eq!(p.mlfq_boost_rule, crate::scheduler::MlfqBoostRule::Ostep);
    assert!(back.contains("\"mlfqBoostRule\": \"ostep\""), "{back}");
    let e = parse(&session(r#"{ "mlfqBoostRule": "bosst" }"#), Syntax::Json).unwrap_err();
    assert_eq!(e[0].path, "ops[0].options.mlfqBoostRule", "{e:?}");
}

#[test]
fn bad_mlfq_lists_are_refused_by_path() {
    let e = parse(&session(r#"{ "mlfqQuantaMs": [5, -1] }"#), Syntax::Json).unwrap_err();
    assert_eq!(e[0].path, "ops[0].options.mlfqQuantaMs[1]", "{e:?}");
    let e = parse(&session(r#"{ "mlfqAllotments": 3 }"#), Syntax::Json).unwrap_err();
    assert_eq!(e[0].path, "ops[0].options.mlfqAllotments", "{e:?}");
    // Whole numbers, but not one per level (3 by default), or a zero quantum: refused on replay.
    for (opts, name) in [
        (r#"{ "mlfqQuantaMs": [5, 7] }"#, "mlfqQuantaMs"),
        (
            r#"{ "mlfqLevels": 2, "mlfqQuantaMs": [5, 0] }"#,
            "mlfqQuantaMs[1]",
        ),
    ] {
        let s = parse(&session(opts), Syntax::Json).unwrap();
        let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.path, "ops[0]");
        let cause = e.cause.as_ref().unwrap();
        assert_eq!(cause.code(), "INVALID_ARGUMENT");
        assert!(cause.to_string().contains(name), "{cause}");
    }
}
