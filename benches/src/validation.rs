//! The payloads of the validation benchmarks and the answer check every
//! contender must pass before it is timed.
//!
//! Each source contributes one valid payload and one with exactly three
//! errors. The valid ones are what travels: the AccelByte and Orangepill
//! catalogue examples as compact JSON, InPlayer's own `access.granted`
//! sample as the vendor formats it (1,486 bytes, indented), and InPlayer's
//! `asset.access.granted` webhook form body decoded to the JSON herald
//! validates. The invalid ones break three rules each, chosen so that JSON
//! Schema counts them the same way herald does (one error per broken rule).

use herald_core::wire::{self, WireFormat};
use herald_core::{Catalogue, ValidationReport, Validator, export};
use serde_json::Value;

/// One payload the validation benchmarks run.
#[derive(Debug, Clone)]
pub struct ValidationCase {
    /// Short label for the benchmark group.
    pub label: &'static str,
    /// Source id.
    pub source: &'static str,
    /// Event name.
    pub name: &'static str,
    /// The JSON bytes validated.
    pub payload: Vec<u8>,
    /// How many errors the payload has (0 or 3), for herald and JSON Schema.
    pub errors: usize,
    /// For the webhook cases: the form body that decodes to `payload`.
    pub form: Option<Vec<u8>>,
}

const ACCESS_GRANTED: &[u8] =
    include_bytes!("../../tests/vectors/wire/inplayer-notification/access.granted.json");
const WEBHOOK_FORM: &[u8] =
    include_bytes!("../../tests/vectors/wire/inplayer-webhook/asset.access.granted.form");

/// `text` with `from` replaced by `to`, which must occur exactly once.
fn replace_once(text: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = std::str::from_utf8(text).expect("the samples are UTF-8");
    assert_eq!(text.matches(from).count(), 1, "{from:?} occurs once");
    text.replacen(from, to, 1).into_bytes()
}

fn example(source: &str, name: &str) -> Value {
    Catalogue::builtin()
        .get(source, name)
        .expect("a built-in event")
        .examples[0]
        .clone()
}

/// A catalogue whose one event (`raw`, `any`) accepts any JSON: validating
/// against it measures herald's reader alone (syntax, UTF-8, duplicate
/// keys), without schema checks.
pub fn any_json() -> Catalogue {
    let document = br#"{"format": "herald-catalogue/1", "sources": [{"id": "raw",
        "vendor": "benchmarks", "title": "Any JSON", "transport": "bytes",
        "description": "One event whose payload may be any JSON.",
        "events": [{"name": "any", "category": "test", "description": "Any JSON value.",
                    "schema": {"type": "any"}}]}]}"#;
    Catalogue::from_json(document).expect("the any catalogue loads")
}

/// The JSON a webhook form body decodes to.
pub fn decoded_form(form: &[u8]) -> Vec<u8> {
    let decoded = wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), form)
        .expect("the form decodes");
    decoded.event.payload.into_owned()
}

/// The eight payloads of the validation benchmarks: valid then invalid
/// (three errors) for AccelByte `walletBalanceChanged`, InPlayer
/// `access.granted`, the InPlayer `asset.access.granted` webhook (decoded
/// from its form body) and an Orangepill `user.created` notification.
pub fn validation_cases() -> Vec<ValidationCase> {
    let wallet = example("accelbyte-wallet", "walletBalanceChanged");
    let mut broken_wallet = wallet.clone();
    let data = &mut broken_wallet["payload"]["data"];
    // type_mismatch, missing_field, too_short.
    data["amount"] = Value::from("100");
    data.as_object_mut()
        .expect("data is an object")
        .remove("userId");
    data["currencyCode"] = Value::from("");

    // too_long (country_code is two characters), type_mismatch (a string
    // id), type_mismatch (a fraction where an int64 goes).
    let broken_access = replace_once(
        ACCESS_GRANTED,
        r#""country_code": "MK""#,
        r#""country_code": "MKD""#,
    );
    let broken_access = replace_once(
        &broken_access,
        r#""customer_id": 29124"#,
        r#""customer_id": "29124""#,
    );
    let broken_access = replace_once(
        &broken_access,
        r#""expires_at": 1549292327"#,
        r#""expires_at": 1549292327.5"#,
    );

    // type_mismatch (a consumer id that is no integer stays a string),
    // format (a date that is no date-time), unknown_field denied at the
    // top (a stray `debug` key).
    let broken_form = replace_once(
        WEBHOOK_FORM,
        "consumer_id%5D=29238",
        "consumer_id%5D=c29238",
    );
    let broken_form = replace_once(
        &broken_form,
        "date%5D=2019-01-15T12%3A45%3A21Z",
        "date%5D=yesterday",
    );
    let broken_form = replace_once(&broken_form, "&id=", "&debug=1&id=");

    let notification = example("orangepill-stream", "user.created");
    let mut broken_notification = notification.clone();
    // const_mismatch, too_short, format (the timestamp string is no decimal).
    broken_notification["type"] = Value::from("notice");
    broken_notification["data"] = Value::from("");
    broken_notification["timestamp"] = Value::from("12:30");

    let compact = |value: &Value| serde_json::to_vec(value).expect("values serialise");
    let case = |label, source, name, payload, errors, form| ValidationCase {
        label,
        source,
        name,
        payload,
        errors,
        form,
    };
    vec![
        case(
            "accelbyte walletBalanceChanged valid",
            "accelbyte-wallet",
            "walletBalanceChanged",
            compact(&wallet),
            0,
            None,
        ),
        case(
            "accelbyte walletBalanceChanged 3 errors",
            "accelbyte-wallet",
            "walletBalanceChanged",
            compact(&broken_wallet),
            3,
            None,
        ),
        case(
            "inplayer access.granted valid",
            "inplayer-notifications",
            "access.granted",
            ACCESS_GRANTED.to_vec(),
            0,
            None,
        ),
        case(
            "inplayer access.granted 3 errors",
            "inplayer-notifications",
            "access.granted",
            broken_access,
            3,
            None,
        ),
        case(
            "inplayer webhook form valid",
            "inplayer-webhooks",
            "asset.access.granted",
            decoded_form(WEBHOOK_FORM),
            0,
            Some(WEBHOOK_FORM.to_vec()),
        ),
        case(
            "inplayer webhook form 3 errors",
            "inplayer-webhooks",
            "asset.access.granted",
            decoded_form(&broken_form),
            3,
            Some(broken_form),
        ),
        case(
            "orangepill user.created valid",
            "orangepill-stream",
            "user.created",
            compact(&notification),
            0,
            None,
        ),
        case(
            "orangepill user.created 3 errors",
            "orangepill-stream",
            "user.created",
            compact(&broken_notification),
            3,
            None,
        ),
    ]
}

/// A case with every contender built: herald's prepared validator and the
/// `jsonschema` validator of herald's exported schema (formats on, so both
/// sides check the same things), plus the payload parsed once for the
/// validate-only contender.
#[derive(Debug)]
pub struct Contenders {
    /// The case.
    pub case: ValidationCase,
    /// herald, prepared.
    pub validator: Validator<'static>,
    /// `jsonschema` on herald's exported JSON Schema.
    pub compiled: jsonschema::Validator,
    /// The payload as a `serde_json::Value`.
    pub parsed: Value,
}

impl Contenders {
    /// Builds the contenders of a case and checks their answers: herald's
    /// verdict and error count (name path, prepared, and through the wire
    /// decoder for form bodies) must equal the case's and `jsonschema`'s.
    /// Panics otherwise, so that no benchmark times a wrong answer.
    pub fn new(case: ValidationCase) -> Contenders {
        let catalogue = Catalogue::builtin();
        let validator = catalogue
            .validator(case.source, case.name)
            .expect("a benchmark event");
        let exported =
            export::json_schema(catalogue, case.source, case.name).expect("an exported schema");
        let compiled = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&exported)
            .expect("the exported schema compiles");
        let parsed: Value = serde_json::from_slice(&case.payload).expect("the payload is JSON");
        let contenders = Contenders {
            case,
            validator,
            compiled,
            parsed,
        };
        contenders.check();
        contenders
    }

    /// herald through the name path: lookup, validation, report.
    /// Inlined into the benchmark's loop, as `Catalogue::validate` is into
    /// a user's code: a call of this helper of the benchmark's own is no
    /// cost of herald's (the prepared contender has no such helper).
    #[inline]
    pub fn herald_by_name(&self, payload: &[u8]) -> ValidationReport {
        Catalogue::builtin()
            .validate(self.case.source, self.case.name, payload)
            .expect("a benchmark event")
    }

    /// `jsonschema` from bytes: parse to a `Value`, then the errors (all of
    /// them, as herald reports all of them; `is_valid` when there are none
    /// to collect, its fastest path). Returns the error count.
    pub fn jsonschema_parse_validate(&self, payload: &[u8]) -> usize {
        let value: Value = serde_json::from_slice(payload).expect("the payload is JSON");
        self.jsonschema_validate(&value)
    }

    /// `jsonschema` on a parsed `Value`; the error count.
    pub fn jsonschema_validate(&self, value: &Value) -> usize {
        if self.case.errors == 0 {
            usize::from(!self.compiled.is_valid(value))
        } else {
            self.compiled.iter_errors(value).count()
        }
    }

    fn check(&self) {
        let case = &self.case;
        let payload = case.payload.as_slice();
        let by_name = self.herald_by_name(payload);
        let prepared = self.validator.validate(payload);
        assert_eq!(
            by_name, prepared,
            "{}: the two herald paths differ",
            case.label
        );
        assert_eq!(
            prepared.errors.len(),
            case.errors,
            "{}: herald's errors {:#?}",
            case.label,
            prepared.errors
        );
        let theirs: Vec<String> = self
            .compiled
            .iter_errors(&self.parsed)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert_eq!(
            theirs.len(),
            case.errors,
            "{}: jsonschema's errors {theirs:#?}",
            case.label
        );
        assert_eq!(
            self.jsonschema_parse_validate(payload),
            case.errors,
            "{}",
            case.label
        );
        assert_eq!(self.compiled.is_valid(&self.parsed), case.errors == 0);
        if let Some(form) = &case.form {
            let decoded = wire::decode(WireFormat::InplayerWebhook, Catalogue::builtin(), form)
                .expect("the form decodes");
            assert_eq!(decoded.report, prepared, "{}: decode's report", case.label);
        }
    }
}
