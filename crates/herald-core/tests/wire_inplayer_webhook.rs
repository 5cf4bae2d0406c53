//! InPlayer webhook bodies: each malformed-input class gives its error with
//! the key named, repeated keys follow the policy, values get the kinds the
//! schema declares, and encoding refuses what a form cannot carry.

use herald_core::wire::{
    self, DecodeOptions, Decoded, Event, RepeatedKeyPolicy, Timestamp, WireErrorKind, WireFormat,
    inplayer_webhook,
};
use herald_core::{Catalogue, WireError};

const HEAD: &str =
    "id=6c9fb170-e0b8-4559-b442-0c986f6354b8&created=1547543324&type=payment.card.failed";

fn decode(body: &str) -> Result<Decoded<'static>, WireError> {
    decode_with(body, RepeatedKeyPolicy::default())
}

fn decode_with(body: &str, policy: RepeatedKeyPolicy) -> Result<Decoded<'static>, WireError> {
    let options = DecodeOptions {
        repeated_keys: policy,
        ..DecodeOptions::default()
    };
    inplayer_webhook::decode(Catalogue::builtin(), body.as_bytes(), &options)
}

fn payload(body: &str) -> String {
    decode(body)
        .unwrap()
        .event
        .payload_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_malformed_escape_names_the_key_and_the_offset_of_the_percent() {
    let body = format!("{HEAD}&resource%5Bmessage%5D=50%G0");
    let error = decode(&body).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::MalformedEscape);
    assert_eq!(error.offset(), Some(body.len() - 3));
    assert_eq!(
        error.to_string(),
        format!(
            "malformed percent-escape at byte {} in \"resource[message]\"",
            body.len() - 3
        )
    );
    let body = format!("{HEAD}&resource%5=1");
    let error = decode(&body).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::MalformedEscape);
    assert_eq!(error.offset(), Some(HEAD.len() + 9));
    assert!(error.to_string().ends_with(" in \"resource%5\""), "{error}");
}

#[test]
fn text_that_is_not_utf8_after_decoding_is_refused() {
    let error = decode(&format!("{HEAD}&resource%5Bmessage%5D=%C3%28")).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::InvalidUtf8);
    assert!(
        error
            .to_string()
            .starts_with("\"resource[message]\" is not UTF-8"),
        "{error}"
    );
}

#[test]
fn unbalanced_brackets_name_the_decoded_key() {
    for key in [
        "resource%5Bcode",
        "resource%5Bcode%5Dx",
        "resource%5D",
        "resource%5Ba%5Bb%5D%5D",
    ] {
        let body = format!("{HEAD}&{key}=1");
        let error = decode(&body).unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::UnbalancedBracket, "{key}");
        assert_eq!(error.offset(), Some(HEAD.len() + 1), "{key}");
        assert!(
            error
                .to_string()
                .starts_with("unbalanced brackets in key \"resource"),
            "{error}"
        );
    }
}

#[test]
fn empty_names_and_empty_brackets_are_refused() {
    for body in [
        format!("{HEAD}&=1"),
        format!("{HEAD}&%5Ba%5D=1"),
        format!("{HEAD}&resource%5B%5D=1"),
    ] {
        assert_eq!(decode(&body).unwrap_err().code(), "empty_key", "{body}");
    }
}

#[test]
fn a_value_and_an_object_under_one_key_conflict_in_either_order() {
    let error = decode(&format!("{HEAD}&resource=1&resource%5Bcode%5D=422")).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::ConflictingShape);
    assert_eq!(
        error.to_string(),
        r#"key "resource[code]" conflicts with "resource": one makes a value what the other makes an object"#
    );
    let error = decode(&format!("{HEAD}&resource%5Bcode%5D=422&resource=1")).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::ConflictingShape);
    assert_eq!(
        error.to_string(),
        r#"key "resource" conflicts with "resource[code]": one makes a value what the other makes an object"#
    );
    assert_eq!(
        wire::decode(
            WireFormat::InplayerWebhook,
            Catalogue::builtin(),
            b"a=1&a[b]=2"
        )
        .unwrap_err()
        .code(),
        "conflicting_shape"
    );
}

#[test]
fn keys_nested_deeper_than_the_limit_are_refused() {
    let mut options = DecodeOptions::default();
    options.limits.max_depth = 3;
    let body = format!("{HEAD}&resource%5Bexplain%5D%5Ba%5D%5Bb%5D=1");
    let error =
        inplayer_webhook::decode(Catalogue::builtin(), body.as_bytes(), &options).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::TooDeep);
    assert_eq!(error.offset(), Some(HEAD.len() + 1));
    assert_eq!(
        error.to_string(),
        format!(
            "nesting at byte {} goes deeper than the limit of 3",
            HEAD.len() + 1
        )
    );
}

#[test]
fn the_last_repeated_value_wins_by_default_at_the_first_position() {
    let decoded = decode(&format!(
        "{HEAD}&resource%5Bmessage%5D=first&resource%5Bcode%5D=422&resource%5Bmessage%5D=second&resource%5Baccount_id%5D=68"
    ))
    .unwrap();
    assert!(
        decoded
            .event
            .payload_str()
            .unwrap()
            .ends_with(r#""resource":{"message":"second","code":422,"account_id":68}}"#)
    );
    let warning = &decoded.report.warnings[0];
    assert_eq!(
        (warning.code.as_str(), warning.pointer.as_str()),
        ("duplicate_key", "/resource/message")
    );
    assert_eq!(
        warning.message,
        r#"the form sends "resource[message]" 2 times; the last value was kept (last-wins)"#
    );
}

#[test]
fn first_wins_keeps_the_first_value_and_reject_refuses() {
    let body = format!(
        "{HEAD}&resource%5Bmessage%5D=first&resource%5Bcode%5D=422&resource%5Bmessage%5D=second"
    );
    let first = decode_with(&body, RepeatedKeyPolicy::FirstWins).unwrap();
    assert!(
        first
            .event
            .payload_str()
            .unwrap()
            .contains(r#""message":"first""#)
    );
    assert_eq!(first.report.warnings[0].code.as_str(), "duplicate_key");
    let error = decode_with(&body, RepeatedKeyPolicy::Reject).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::RepeatedKey);
    assert_eq!(
        error.to_string(),
        r#"key "resource[message]" appears more than once"#
    );
    let twice = format!("{HEAD}&type=payment.card.success");
    assert_eq!(
        decode_with(&twice, RepeatedKeyPolicy::Reject)
            .unwrap_err()
            .code(),
        "repeated_key"
    );
    assert_eq!(
        decode_with(&twice, RepeatedKeyPolicy::LastWins)
            .unwrap()
            .event
            .name,
        "payment.card.success"
    );
    assert_eq!(
        decode_with(&twice, RepeatedKeyPolicy::FirstWins)
            .unwrap()
            .event
            .name,
        "payment.card.failed"
    );
}

#[test]
fn values_take_the_kind_the_schema_declares_and_strings_stay_otherwise() {
    let body = "id=WHE-1&created=1551455676&type=payment.refund.success&version=2.4.2\
        &resource%5Bamount%5D=10.00&resource%5Bcode%5D=200&resource%5Bcurrency_iso%5D=EUR\
        &resource%5Bcustomer_id%5D=29894&resource%5Bis_partial%5D=1&resource%5Bnote%5D=\
        &resource%5Bstatus%5D=success&resource%5Btransaction%5D=C-1&resource%5Bnext_rebill_date%5D=1554047675\
        &resource%5Bextra%5D=12&resource%5Btimestamp%5D=0012";
    let decoded = decode(body).unwrap();
    assert_eq!(
        decoded.event.payload_str().unwrap(),
        r#"{"id":"WHE-1","created":1551455676,"type":"payment.refund.success","version":"2.4.2","resource":{"amount":10.00,"code":200,"currency_iso":"EUR","customer_id":29894,"is_partial":true,"note":"","status":"success","transaction":"C-1","next_rebill_date":1554047675,"extra":"12","timestamp":"0012"}}"#
    );
    // `0012` is not an integer token: it stays text and validation says where.
    assert_eq!(decoded.report.errors[0].pointer, "/resource/timestamp");
    assert_eq!(decoded.report.errors[0].code.as_str(), "type_mismatch");
}

#[test]
fn plus_is_a_space_and_escapes_decode_in_keys_and_values() {
    assert!(
        payload(&format!(
            "{HEAD}&resource%5Bmessage%5D=Charge+parameters%20error%2B%26"
        ))
        .contains(r#""message":"Charge parameters error+&""#)
    );
    assert!(
        payload(&format!("{HEAD}&resource[message]=literal+brackets"))
            .contains(r#""message":"literal brackets""#)
    );
}

#[test]
fn empty_pairs_are_skipped_and_a_key_without_equals_is_empty() {
    let decoded = decode(&format!(
        "&&{HEAD}&&resource%5Bmessage%5D&resource%5Bcode%5D=422&"
    ))
    .unwrap();
    assert!(
        decoded
            .event
            .payload_str()
            .unwrap()
            .contains(r#""message":"","code":422"#)
    );
}

#[test]
fn the_id_style_and_version_are_carried_as_sent() {
    let style_a = decode(HEAD).unwrap().event;
    assert_eq!(
        style_a.id.as_deref(),
        Some("6c9fb170-e0b8-4559-b442-0c986f6354b8")
    );
    assert!(!style_a.payload_str().unwrap().contains("version"));
    let style_b =
        decode("id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.failed&version=2.4.2")
            .unwrap()
            .event;
    assert_eq!(style_b.id.as_deref(), Some("WHE-jAlBR7bGKGIV2mSr"));
    assert_eq!(style_b.timestamp, Some(Timestamp::Unix(1559906599)));
    assert!(style_b.payload_str().unwrap().starts_with(r#"{"id":"WHE-jAlBR7bGKGIV2mSr","created":1559906599,"type":"payment.card.failed","version":"2.4.2""#));
}

#[test]
fn a_created_that_is_not_an_integer_is_kept_as_text_and_reported() {
    let decoded = decode("id=1&created=yesterday&type=payment.card.failed").unwrap();
    assert_eq!(
        decoded.event.timestamp,
        Some(Timestamp::Text("yesterday".to_owned()))
    );
    assert!(
        decoded
            .report
            .errors
            .iter()
            .any(|issue| issue.pointer == "/created")
    );
}

fn event_with_payload(payload: &str) -> Event<'static> {
    let mut event = decode(HEAD).unwrap().event;
    event.payload = payload.as_bytes().to_vec().into();
    event
}

#[test]
fn encoding_writes_php_style_escapes_in_payload_order() {
    let event = event_with_payload(
        r#"{"id":"6c9fb170-e0b8-4559-b442-0c986f6354b8","created":1547543324,"type":"payment.card.failed","resource":{"message":"a b+c €","explain":{"error":"x"},"code":422,"flag":true}}"#,
    );
    assert_eq!(
        String::from_utf8(wire::encode(&event).unwrap()).unwrap(),
        "id=6c9fb170-e0b8-4559-b442-0c986f6354b8&created=1547543324&type=payment.card.failed\
         &resource%5Bmessage%5D=a+b%2Bc+%E2%82%AC&resource%5Bexplain%5D%5Berror%5D=x&resource%5Bcode%5D=422&resource%5Bflag%5D=true"
    );
}

#[test]
fn encoding_refuses_what_a_form_cannot_carry() {
    let base = r#""id":"6c9fb170-e0b8-4559-b442-0c986f6354b8","created":1547543324,"type":"payment.card.failed""#;
    for (resource, at) in [
        (r#"{"list":[1,2]}"#, "/resource/list"),
        (r#"{"gone":null}"#, "/resource/gone"),
        (r#"{"explain":{}}"#, "/resource/explain"),
        (r#"{"a[b]":1}"#, "/resource/a[b]"),
        (r#"{"":1}"#, "/resource/"),
        (r#"{"code":1,"code":2}"#, "/resource/code"),
    ] {
        let event = event_with_payload(&format!("{{{base},\"resource\":{resource}}}"));
        let error = wire::encode(&event).unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::Unencodable, "{resource}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("cannot encode {at}: ")),
            "{resource}: {error}"
        );
    }
}

#[test]
fn a_webhook_whose_id_is_not_text_decodes_without_an_id_and_encodes_back() {
    // Found by the `form` fuzz target: `id[x]=1` makes `id` an object.
    let body = "id[x]=1&created=1559913102&type=asset.access.revoked";
    let decoded = decode(body).unwrap();
    assert_eq!(decoded.event.id, None);
    let encoded = wire::encode(&decoded.event).unwrap();
    let again = decode(std::str::from_utf8(&encoded).unwrap()).unwrap();
    assert_eq!(again.event, decoded.event);
    // An event without an id still disagrees with a payload id that is text.
    let mut event = decode(HEAD).unwrap().event;
    event.id = None;
    let error = wire::encode(&event).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::EnvelopeMismatch);
}

#[test]
fn encoding_checks_the_event_against_its_payload() {
    let mut event = decode(HEAD).unwrap().event;
    event.name = "payment.card.success".to_owned();
    assert_eq!(
        wire::encode(&event).unwrap_err().code(),
        "envelope_mismatch"
    );
    let mut event = decode(HEAD).unwrap().event;
    event.id = Some("WHE-other".to_owned());
    let error = wire::encode(&event).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::EnvelopeMismatch);
    assert!(
        error.to_string().starts_with("the event's id is "),
        "{error}"
    );
    let mut event = decode(HEAD).unwrap().event;
    event.timestamp = Some(Timestamp::Text("1547543324".to_owned()));
    let error = wire::encode(&event).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::EnvelopeMismatch);
    assert!(
        error.to_string().starts_with("the event's timestamp is "),
        "{error}"
    );
    let mut event = decode(HEAD).unwrap().event;
    event.format = WireFormat::Orangepill;
    assert_eq!(
        inplayer_webhook::encode(&event).unwrap_err().code(),
        "format_mismatch"
    );
}
