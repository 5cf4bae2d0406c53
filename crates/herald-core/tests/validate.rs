//! Validation straight from bytes: every issue code with its exact pointer,
//! exact integer ranges, document order, limits and UTF-8.

use std::sync::OnceLock;

use herald_core::{Catalogue, IssueCode, Limits, LookupError, ValidationReport};

fn fixture() -> &'static Catalogue {
    static FIXTURE: OnceLock<Catalogue> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        Catalogue::from_json(include_bytes!("data/validation-fixture.json")).unwrap()
    })
}

fn check(name: &str, payload: &str) -> ValidationReport {
    check_bytes(name, payload.as_bytes())
}

fn check_bytes(name: &str, payload: &[u8]) -> ValidationReport {
    fixture().validate("fixture", name, payload).unwrap()
}

fn errors(report: &ValidationReport) -> Vec<(&'static str, &str)> {
    report
        .errors
        .iter()
        .map(|issue| (issue.code.as_str(), issue.pointer.as_str()))
        .collect()
}

fn warnings(report: &ValidationReport) -> Vec<(&'static str, &str)> {
    report
        .warnings
        .iter()
        .map(|issue| (issue.code.as_str(), issue.pointer.as_str()))
        .collect()
}

fn number_errors(field: &str, token: &str) -> Vec<(&'static str, String)> {
    let report = check("numbers.checked", &format!("{{\"{field}\": {token}}}"));
    report
        .errors
        .iter()
        .map(|issue| (issue.code.as_str(), issue.pointer.clone()))
        .collect()
}

#[test]
fn fixture_examples_are_valid() {
    for event in fixture().events() {
        for example in &event.examples {
            let report = fixture()
                .validate("fixture", &event.name, example.to_string().as_bytes())
                .unwrap();
            assert!(
                report.errors.is_empty() && report.warnings.is_empty(),
                "{}: {report:?}",
                event.name
            );
        }
    }
}

// ---- integers ------------------------------------------------------------

#[test]
fn accepts_the_int64_extremes() {
    for token in [
        "9223372036854775807",
        "9223372036854775806",
        "-9223372036854775808",
        "-9223372036854775807",
        "0",
        "-0",
    ] {
        assert!(number_errors("signed", token).is_empty(), "{token}");
    }
}

#[test]
fn rejects_int64_one_past_the_maximum() {
    assert_eq!(
        number_errors("signed", "9223372036854775808"),
        [("out_of_range", "/signed".to_owned())]
    );
}

#[test]
fn rejects_int64_one_past_the_minimum() {
    assert_eq!(
        number_errors("signed", "-9223372036854775809"),
        [("out_of_range", "/signed".to_owned())]
    );
}

#[test]
fn accepts_the_uint64_extremes() {
    for token in ["0", "-0", "18446744073709551615", "18446744073709551614"] {
        assert!(number_errors("unsigned", token).is_empty(), "{token}");
    }
}

#[test]
fn rejects_uint64_one_past_each_end() {
    for token in ["18446744073709551616", "-1"] {
        assert_eq!(
            number_errors("unsigned", token),
            [("out_of_range", "/unsigned".to_owned())],
            "{token}"
        );
    }
}

#[test]
fn rejects_huge_digit_strings_as_out_of_range() {
    let huge = "9".repeat(400);
    assert_eq!(
        number_errors("signed", &huge),
        [("out_of_range", "/signed".to_owned())]
    );
    assert_eq!(
        number_errors("unsigned", &format!("-{huge}")),
        [("out_of_range", "/unsigned".to_owned())]
    );
    let report = check("numbers.checked", &format!("{{\"signed\": {huge}}}"));
    assert!(report.errors[0].message.len() < 200, "messages stay short");
}

#[test]
fn integers_with_exponent_or_fraction_are_type_mismatches() {
    for token in [
        "1e3",
        "1E3",
        "500.0",
        "0.0",
        "-0.0",
        "1e0",
        "5e-1",
        "9223372036854775807.0",
    ] {
        assert_eq!(
            number_errors("signed", token),
            [("type_mismatch", "/signed".to_owned())],
            "{token}"
        );
    }
}

#[test]
fn leading_zeros_are_syntax_errors() {
    for token in ["01", "-01", "00", "0123456789"] {
        assert_eq!(
            number_errors("signed", token),
            [("syntax", "/signed".to_owned())],
            "{token}"
        );
    }
}

#[test]
fn schema_bounds_narrow_the_machine_range() {
    assert!(number_errors("bounded", "5").is_empty());
    assert!(number_errors("bounded", "-5").is_empty());
    assert_eq!(
        number_errors("bounded", "6"),
        [("out_of_range", "/bounded".to_owned())]
    );
    assert_eq!(
        number_errors("bounded", "-6"),
        [("out_of_range", "/bounded".to_owned())]
    );
    let report = check("numbers.checked", r#"{"bounded": 6}"#);
    assert!(report.errors[0].message.contains("maximum of 5"));
}

#[test]
fn numbers_accept_integers_and_fractions_within_bounds() {
    for token in ["0", "1", "0.5", "1e-1", "1.0E0"] {
        assert!(number_errors("ratio", token).is_empty(), "{token}");
    }
    assert_eq!(
        number_errors("ratio", "1.5"),
        [("out_of_range", "/ratio".to_owned())]
    );
    assert_eq!(
        number_errors("ratio", "-1e-9"),
        [("out_of_range", "/ratio".to_owned())]
    );
}

// ---- every code at its pointer ---------------------------------------------

#[test]
fn reports_syntax_errors_with_the_byte_offset_and_stops() {
    let report = check("numbers.checked", r#"{"signed": 1} x"#);
    assert_eq!(errors(&report), [("syntax", "")]);
    assert!(report.errors[0].message.contains("byte 14"), "{report:?}");

    let report = check("lists.checked", r#"{"tags": ["a", "b",], "items": 7}"#);
    assert_eq!(errors(&report), [("syntax", "/tags/2")]);

    let report = check("lists.checked", r#"{"tags": ["a" "b"]}"#);
    assert_eq!(errors(&report), [("syntax", "/tags/0")]);

    let report = check("strings.checked", "{\"code\": \"ab\ncd\"}");
    assert_eq!(errors(&report), [("syntax", "/code")]);

    let report = check("strings.checked", r#"{"code": "a\qb"}"#);
    assert_eq!(errors(&report), [("syntax", "/code")]);

    let report = check("strings.checked", r#"{"code": "abc"#);
    assert_eq!(errors(&report), [("syntax", "/code")]);

    let report = check("numbers.checked", r#"{"flag": tru}"#);
    assert_eq!(errors(&report), [("syntax", "/flag")]);
}

#[test]
fn reports_invalid_utf8_in_strings_and_keys_and_goes_on() {
    let report = check_bytes(
        "strings.checked",
        b"{\"code\": \"a\xc3\", \"k\xffy\": 1, \"kind\": \"z\"}",
    );
    assert_eq!(
        errors(&report),
        [
            ("invalid_utf8", "/code"),
            ("invalid_utf8", "/k\u{FFFD}y"),
            ("unknown_enum", "/kind")
        ]
    );
    let report = check_bytes("numbers.checked", b"{\"anything\": [\"\xed\xa0\x80\"]}");
    assert_eq!(errors(&report), [("invalid_utf8", "/anything/0")]);
}

#[test]
fn reports_type_mismatches_and_names_both_kinds() {
    let report = check(
        "numbers.checked",
        r#"{"signed": "1", "flag": 1, "nothing": false, "ratio": null}"#,
    );
    assert_eq!(
        errors(&report),
        [
            ("type_mismatch", "/signed"),
            ("type_mismatch", "/flag"),
            ("type_mismatch", "/nothing"),
            ("type_mismatch", "/ratio")
        ]
    );
    assert_eq!(
        report.errors[0].message,
        "expected an integer (int64), found a string"
    );
    let report = check("union.checked", r#"{"value": 1.5}"#);
    assert_eq!(errors(&report), [("type_mismatch", "/value")]);
    assert!(
        report.errors[0]
            .message
            .starts_with("expected object or array or string or integer or null"),
        "{}",
        report.errors[0].message
    );
}

#[test]
fn a_mismatched_container_is_still_read_for_duplicates_and_utf8() {
    let report = check("numbers.checked", r#"{"signed": {"a": 1, "a": 2}}"#);
    assert_eq!(
        errors(&report),
        [("type_mismatch", "/signed"), ("duplicate_key", "/signed/a")]
    );
}

#[test]
fn reports_missing_fields_at_the_object_when_it_closes() {
    let report = check("lists.checked", r#"{"items": [{"label": "x"}]}"#);
    assert_eq!(
        errors(&report),
        [("missing_field", "/items/0"), ("missing_field", "")]
    );
    assert!(report.errors[0].message.contains("\"id\""));
    assert!(report.errors[1].message.contains("\"tags\""));
}

#[test]
fn unknown_fields_follow_the_object_policy() {
    let deny = check("numbers.checked", r#"{"extra": 1}"#);
    assert_eq!(errors(&deny), [("unknown_field", "/extra")]);
    let warn = check("lists.checked", r#"{"tags": ["a"], "extra": 1}"#);
    assert!(warn.is_ok());
    assert_eq!(warnings(&warn), [("unknown_field", "/extra")]);
    let allow = check("strings.checked", r#"{"extra": 1}"#);
    assert!(allow.is_ok() && allow.warnings.is_empty());
}

#[test]
fn reports_enum_const_and_event_name_mismatches() {
    let report = check(
        "strings.checked",
        r#"{"kind": "c", "fixed": "y", "name": "lists.checked"}"#,
    );
    assert_eq!(
        errors(&report),
        [
            ("unknown_enum", "/kind"),
            ("const_mismatch", "/fixed"),
            ("event_mismatch", "/name")
        ]
    );
}

#[test]
fn string_lengths_count_characters_not_bytes() {
    assert!(check("strings.checked", r#"{"code": "ééé"}"#).is_ok());
    assert!(check("strings.checked", r#"{"code": "\u00e9\u00e9"}"#).is_ok());
    let report = check("strings.checked", r#"{"code": "é"}"#);
    assert_eq!(errors(&report), [("too_short", "/code")]);
    let report = check("strings.checked", r#"{"code": "ééééé"}"#);
    assert_eq!(errors(&report), [("too_long", "/code")]);
}

#[test]
fn array_bounds_are_too_short_and_too_long_at_the_array() {
    let report = check("lists.checked", r#"{"tags": []}"#);
    assert_eq!(errors(&report), [("too_short", "/tags")]);
    let report = check("lists.checked", r#"{"tags": ["a", "b", "c", "d"]}"#);
    assert_eq!(errors(&report), [("too_long", "/tags")]);
    let report = check("lists.checked", r#"{"tags": ["a", "bbbbb"]}"#);
    assert_eq!(errors(&report), [("too_long", "/tags/1")]);
}

#[test]
fn reports_each_format() {
    let report = check(
        "strings.checked",
        r#"{"when": "2019-01-15 12:45:21Z", "lenient": "2019-06-07T13:11:41+000",
            "id": "6c9fb170e0b84559b4420c986f6354b8", "money": "1e3", "currency": "Eur"}"#,
    );
    assert_eq!(
        errors(&report),
        [
            ("format", "/when"),
            ("format", "/lenient"),
            ("format", "/id"),
            ("format", "/money"),
            ("format", "/currency")
        ]
    );
}

#[test]
fn formats_apply_to_the_unescaped_text() {
    assert!(
        check(
            "strings.checked",
            r#"{"currency": "\u0045UR", "fixed": "\u0078"}"#
        )
        .is_ok()
    );
}

#[test]
fn reports_duplicate_keys_known_unknown_and_escaped() {
    let report = check(
        "lists.checked",
        r#"{"tags": ["a"], "t\u0061gs": ["b"], "x": 1, "x": 2}"#,
    );
    assert_eq!(
        errors(&report),
        [("duplicate_key", "/tags"), ("duplicate_key", "/x")]
    );
}

#[test]
fn finds_duplicates_among_many_unknown_keys() {
    let mut payload = String::from("{\"anything\": {");
    for key in 0..100 {
        payload.push_str(&format!("\"k{key}\": {key}, "));
    }
    payload.push_str("\"k42\": 0, \"k99\": 1}}");
    let report = check("numbers.checked", &payload);
    assert_eq!(
        errors(&report),
        [
            ("duplicate_key", "/anything/k42"),
            ("duplicate_key", "/anything/k99")
        ]
    );
}

#[test]
fn keys_of_sibling_objects_do_not_collide() {
    let report = check(
        "numbers.checked",
        r#"{"anything": [{"a": 1, "b": {"a": 2}}, {"a": 3}]}"#,
    );
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn escapes_tilde_and_slash_in_pointers() {
    let report = check("numbers.checked", r#"{"a/b": 1, "m~n": 2, "": 3}"#);
    assert_eq!(
        errors(&report),
        [
            ("unknown_field", "/a~1b"),
            ("unknown_field", "/m~0n"),
            ("unknown_field", "/")
        ]
    );
}

// ---- order, completeness, limits -------------------------------------------

#[test]
fn reports_all_errors_in_document_order_across_objects_and_arrays() {
    let report = check(
        "lists.checked",
        r#"{
          "items": [
            {"id": -1, "label": ""},
            {"id": "2", "extra": true},
            {"label": "ok"}
          ],
          "tags": ["toolong", 5]
        }"#,
    );
    assert_eq!(
        errors(&report),
        [
            ("out_of_range", "/items/0/id"),
            ("too_short", "/items/0/label"),
            ("type_mismatch", "/items/1/id"),
            ("unknown_field", "/items/1/extra"),
            ("missing_field", "/items/2"),
            ("too_long", "/tags/0"),
            ("type_mismatch", "/tags/1")
        ]
    );
}

#[test]
fn nesting_at_the_depth_limit_is_accepted() {
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let payload = format!("{{\"anything\": {}{}}}", "[".repeat(9), "]".repeat(9));
    let report = fixture()
        .validate_with_limits("fixture", "numbers.checked", payload.as_bytes(), &limits)
        .unwrap();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn nesting_past_the_depth_limit_is_too_deep_at_the_container() {
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let payload = format!("{{\"anything\": {}{}}}", "[".repeat(10), "]".repeat(10));
    let report = fixture()
        .validate_with_limits("fixture", "numbers.checked", payload.as_bytes(), &limits)
        .unwrap();
    assert_eq!(
        errors(&report),
        [("too_deep", "/anything/0/0/0/0/0/0/0/0/0")]
    );
}

#[test]
fn a_million_open_brackets_do_not_overflow_the_stack() {
    let payload = "[".repeat(1_000_000);
    let report = check("numbers.checked", &payload);
    assert_eq!(report.errors.last().unwrap().code, IssueCode::TooDeep);
    let payload = "{\"a\":".repeat(200_000);
    let report = check("numbers.checked", &payload);
    assert_eq!(report.errors.last().unwrap().code, IssueCode::TooDeep);
}

#[test]
fn payloads_over_the_size_limit_are_too_large_and_not_read() {
    let limits = Limits {
        max_payload_bytes: 10,
        ..Limits::default()
    };
    let report = fixture()
        .validate_with_limits("fixture", "numbers.checked", b"{\"signed\": oops}", &limits)
        .unwrap();
    assert_eq!(errors(&report), [("too_large", "")]);
    let exactly = fixture()
        .validate_with_limits("fixture", "numbers.checked", b"{\"flag\":1}", &limits)
        .unwrap();
    assert_eq!(errors(&exactly), [("type_mismatch", "/flag")]);
}

#[test]
fn the_default_size_limit_is_one_mebibyte() {
    let padding = " ".repeat(1024 * 1024);
    let report = check("numbers.checked", &format!("{{}}{padding}"));
    assert_eq!(errors(&report), [("too_large", "")]);
}

#[test]
fn the_error_cap_truncates_and_stops() {
    let mut payload = String::from("{\"anything\": 0");
    for key in 0..300 {
        payload.push_str(&format!(", \"x{key}\": 1"));
    }
    payload.push('}');
    let report = check("numbers.checked", &payload);
    assert_eq!(report.errors.len(), 100);
    assert!(report.truncated);
    let report = check("numbers.checked", r#"{"x": 1}"#);
    assert!(!report.truncated);
}

#[test]
fn the_warning_cap_does_not_stop_validation() {
    let limits = Limits {
        max_errors: 2,
        ..Limits::default()
    };
    let payload = r#"{"tags": ["a"], "w1": 1, "w2": 2, "w3": 3, "items": 5}"#;
    let report = fixture()
        .validate_with_limits("fixture", "lists.checked", payload.as_bytes(), &limits)
        .unwrap();
    assert_eq!(report.warnings.len(), 2);
    assert!(report.truncated);
    assert_eq!(errors(&report), [("type_mismatch", "/items")]);
}

// ---- lookups ---------------------------------------------------------------

#[test]
fn unknown_sources_events_and_schemas_are_errors_not_reports() {
    let catalogue = Catalogue::builtin();
    assert!(matches!(
        catalogue.validate("nowhere", "x", b"{}"),
        Err(LookupError::UnknownSource { .. })
    ));
    let error = catalogue
        .validate("orangepill-stream", "no.such.event", b"{}")
        .unwrap_err();
    assert_eq!(error.code(), "unknown_event");
    let error = catalogue
        .validate_named("no-such-schema", b"{}")
        .unwrap_err();
    assert_eq!(error.code(), "unknown_schema");
}

#[test]
fn an_event_without_a_schema_cannot_be_validated() {
    let document = br#"{"format": "herald-catalogue/1", "sources": [{"id": "s", "vendor": "v",
        "title": "t", "transport": "t", "description": "d",
        "events": [{"name": "a.b", "category": "c", "description": "d"}]}]}"#;
    let catalogue = Catalogue::from_json(document).unwrap();
    assert_eq!(
        catalogue.validate("s", "a.b", b"{}").unwrap_err().code(),
        "no_schema"
    );
}

#[test]
fn named_schemas_through_references_validate() {
    let report = fixture()
        .validate_named("item-alias", br#"{"id": 1, "label": ""}"#)
        .unwrap();
    assert_eq!(errors(&report), [("too_short", "/label")]);
}

#[test]
fn a_prepared_validator_gives_the_same_report() {
    let catalogue = Catalogue::builtin();
    let validator = catalogue
        .validator("accelbyte-wallet", "walletStatusChanged")
        .unwrap();
    let payload = br#"{"type":"walletStatusChanged"}"#;
    assert_eq!(
        validator.validate(payload),
        catalogue
            .validate("accelbyte-wallet", "walletStatusChanged", payload)
            .unwrap()
    );
}

#[test]
fn fields_alike_in_length_and_first_bytes_are_still_told_apart() {
    let document = br#"{"format": "herald-catalogue/1", "sources": [{"id": "s", "vendor": "v",
        "title": "t", "transport": "t", "description": "d",
        "events": [{"name": "a.b", "category": "c", "description": "d",
          "schema": {"type": "object", "unknown_fields": "deny", "fields": {
            "resource_a_long": {"type": "integer"},
            "resource_b_long": {"type": "string"},
            "resource_c_long": {"type": "boolean"}}}}]}]}"#;
    let catalogue = Catalogue::from_json(document).unwrap();
    let report = catalogue
        .validate(
            "s",
            "a.b",
            br#"{"resource_a_long": 1, "resource_b_long": "x", "resource_c_long": true, "resource_d_long": 0}"#,
        )
        .unwrap();
    assert_eq!(errors(&report), [("unknown_field", "/resource_d_long")]);
}

#[test]
fn validators_and_catalogues_are_shareable_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<herald_core::Validator<'static>>();
    shareable::<Catalogue>();
}

#[test]
fn objects_with_more_than_sixty_four_fields_track_every_field() {
    let fields: serde_json::Map<String, serde_json::Value> = (0..70)
        .map(|index| {
            (
                format!("f{index:02}"),
                serde_json::json!({"type": "integer"}),
            )
        })
        .collect();
    let document = serde_json::json!({"format": "herald-catalogue/1", "sources": [{"id": "s",
        "vendor": "v", "title": "t", "transport": "t", "description": "d",
        "events": [{"name": "wide", "category": "c", "description": "d",
            "schema": {"type": "object", "fields": fields, "unknown_fields": "deny"}}]}]});
    let catalogue = Catalogue::from_json(document.to_string().as_bytes()).unwrap();
    let mut payload: Vec<String> = (0..70)
        .filter(|&index| index != 68)
        .map(|index| format!("\"f{index:02}\": {index}"))
        .collect();
    payload.push("\"f66\": 1".to_owned());
    let payload = format!("{{{}}}", payload.join(", "));
    let report = catalogue.validate("s", "wide", payload.as_bytes()).unwrap();
    assert_eq!(
        errors(&report),
        [("duplicate_key", "/f66"), ("missing_field", "")]
    );
    assert!(report.errors[1].message.contains("\"f68\""));
}
