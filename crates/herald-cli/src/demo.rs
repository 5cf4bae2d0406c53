//! `herald demo`: the main job end to end on built-in data.
//!
//! It shows what herald does, for people: every count it prints agrees with
//! the others, and every line fits in [`WIDTH`] columns. It reads no input
//! and writes only to stdout.

use std::io::{self, Write};
use std::process::ExitCode;

use std::collections::BTreeMap;

use herald_core::wire::orangepill::{ClientMessage, Hub};
use herald_core::wire::{self, WireFormat};
use herald_core::{Catalogue, Pattern, Router};

use crate::catalogue::spelled_names;
use crate::output::Outcome;
use crate::validation::verdict;

/// The widest line the demo prints; longer ones wrap, indented.
const WIDTH: usize = 100;

pub(crate) fn run() -> Outcome {
    let mut text = Vec::new();
    write_demo(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    let mut out = io::stdout().lock();
    for line in text.lines() {
        for wrapped in wrap(line) {
            writeln!(out, "{wrapped}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `line` in lines of at most [`WIDTH`] columns, broken at spaces; the
/// continuation lines are indented four more than the first. A single word
/// longer than that (a JSON frame) keeps its own line whole.
fn wrap(line: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let deeper = format!("{indent}    ");
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(indent)
        .subsequent_indent(&deeper)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(body, options)
        .into_iter()
        .map(|wrapped| std::borrow::Cow::Owned(wrapped.into_owned()))
        .collect()
}

fn write_demo(out: &mut impl Write) -> io::Result<()> {
    let catalogue = Catalogue::builtin();
    writeln!(
        out,
        "== catalogue: {} events from {} sources",
        catalogue.len(),
        catalogue.sources().len()
    )?;
    for source in catalogue.sources() {
        let templates = source
            .events
            .iter()
            .filter(|e| e.template.is_some())
            .count();
        let mut categories: Vec<&str> = source.events.iter().map(|e| e.category.as_str()).collect();
        categories.sort_unstable();
        categories.dedup();
        let templated = match templates {
            0 => String::new(),
            count => format!(", {count} templated"),
        };
        writeln!(
            out,
            "  {:<24} {:>3} events{templated}. {}: {}",
            source.id,
            source.events.len(),
            source.vendor,
            categories.join(", ")
        )?;
    }
    let mut shared: Vec<&str> = catalogue
        .events()
        .filter(|event| catalogue.find(&event.name).count() > 1)
        .map(|event| event.name.as_str())
        .collect();
    shared.sort_unstable();
    shared.dedup();
    writeln!(
        out,
        "  names used by more than one source: {}",
        shared.join(", ")
    )?;
    for name in ["sms.message.sent", "telegram.message.failed"] {
        if let Some(resolved) = catalogue.resolve("orangepill-stream", name) {
            writeln!(
                out,
                "  {name} -> {} {}",
                resolved.event.source, resolved.event.name
            )?;
        }
    }
    validate_examples(out, catalogue)?;
    validate_broken(out, catalogue)?;
    route_catalogue(out, catalogue)?;
    wire_round_trips(out, catalogue)?;
    writeln!(
        out,
        "== next: `herald catalogue` lists every event, \
         `herald validate SOURCE NAME FILE` checks a payload, \
         `herald route --subs FILE` routes topics from stdin, \
         and `herald --help` shows the other commands. \
         README.md shows the same from Rust, C, C++ and Python."
    )
}

/// Every built-in example, validated from its bytes.
fn validate_examples(out: &mut impl Write, catalogue: &Catalogue) -> io::Result<()> {
    writeln!(out, "== validation: every built-in example")?;
    for source in catalogue.sources() {
        let (mut valid, mut total) = (0, 0);
        for event in &source.events {
            for example in &event.examples {
                let bytes = serde_json::to_vec(example).unwrap_or_default();
                total += 1;
                if catalogue
                    .validate(&source.id, &event.name, &bytes)
                    .is_ok_and(|report| report.is_ok())
                {
                    valid += 1;
                }
            }
        }
        // An event may have more than one example: say of how many events.
        writeln!(
            out,
            "  {:<24} {valid:>3}/{total} examples valid, from {} events",
            source.id,
            source.events.len()
        )?;
    }
    Ok(())
}

/// Broken payloads, each with what herald reports about it.
fn validate_broken(out: &mut impl Write, catalogue: &Catalogue) -> io::Result<()> {
    const BROKEN: [(&str, &str, &str, &str); 5] = [
        (
            "AccelByte's own \"status\" sample (a balance payload)",
            "accelbyte-wallet",
            "walletStatusChanged",
            r#"{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"namespace123","userId":"user123","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}"#,
        ),
        (
            "an amount one past int64",
            "accelbyte-wallet",
            "walletBalanceChanged",
            r#"{"type":"walletBalanceChanged","payload":{"action":"bulkCredit","data":{"namespace":"ns","userId":"u1","currencyCode":"USD","amount":9223372036854775808,"reason":"Purchase","origin":"System"}}}"#,
        ),
        (
            "a notification for another event",
            "orangepill-stream",
            "user.created",
            r#"{"type":"notification","event":"user.deleted","data":"63967141191e9023f356df9f","timestamp":"162553625262"}"#,
        ),
        (
            "a webhook with a string amount and a duplicate key",
            "inplayer-webhooks",
            "payment.card.success",
            r#"{"id":"6c9fb170-e0b8-4559-b442-0c986f6354b8","created":1547543324,"type":"payment.card.success","resource":{"amount":"10.00","code":200,"currency_iso":"EUR","customer_id":29894,"customer_id":1,"status":"success","transaction":"C-1-SC"}}"#,
        ),
        (
            "a truncated payload",
            "inplayer-notifications",
            "access.revoked",
            r#"{"type":"access.revoked","timestamp":1546609799,"resource":{"item_id":41224"#,
        ),
    ];
    writeln!(out, "== validation: broken payloads")?;
    for (what, source, name, payload) in BROKEN {
        let Ok(report) = catalogue.validate(source, name, payload.as_bytes()) else {
            continue;
        };
        writeln!(out, "  {what}")?;
        writeln!(out, "    as {source} {name}: {}", verdict(&report))?;
        crate::validation::write_report(out, &report, "      ")?;
    }
    Ok(())
}

/// One message of each vendor, as the shared wire vectors hold it.
const WIRE_SAMPLES: [(&str, WireFormat, &[u8]); 4] = [
    (
        "InPlayer client notification (JSON over MQTT)",
        WireFormat::InplayerNotification,
        include_bytes!(
            "../../../tests/vectors/wire/inplayer-notification/payment.card.failed.json"
        ),
    ),
    (
        "InPlayer webhook (form body, previewTitle sent twice)",
        WireFormat::InplayerWebhook,
        include_bytes!("../../../tests/vectors/wire/inplayer-webhook/subscribe.success.form"),
    ),
    (
        "Orangepill realm stream notification",
        WireFormat::Orangepill,
        include_bytes!("../../../tests/vectors/wire/orangepill/notification.sms.message.sent.json"),
    ),
    (
        "AccelByte lobby frame (the docs' balance sample)",
        WireFormat::AccelbyteLobby,
        include_bytes!("../../../tests/vectors/wire/accelbyte-lobby/wallet-balance.docs.txt"),
    ),
];

/// Subscribers of the demo router: (id, who, patterns).
const SUBSCRIBERS: [(u64, &str, &[&str]); 7] = [
    (1, "payments ledger", &["payment.#", "subscribe.#"]),
    (2, "failure alerts", &["#.failed"]),
    (3, "access audit", &["#.access.#", "access.*"]),
    (
        4,
        "wallet service",
        &["walletBalanceChanged", "walletStatusChanged"],
    ),
    (
        5,
        "treasury",
        &["transaction.>", "deposit.>", "withdrawal.>"],
    ),
    (6, "messaging", &["*.message.*"]),
    (ARCHIVE, "event archive", &["#"]),
];

/// The subscriber that takes every event.
const ARCHIVE: u64 = 7;

/// The demo's router: every pattern of [`SUBSCRIBERS`].
fn demo_router() -> Router {
    let mut router = Router::new();
    for (id, _, patterns) in SUBSCRIBERS {
        for pattern in patterns {
            if let Ok(pattern) = Pattern::parse(pattern) {
                let _ = router.subscribe(&pattern, id);
            }
        }
    }
    router
}

/// Every event name the built-in catalogue knows, templates bound to each
/// documented value (`sms.message.sent`, ...), once each, sorted.
fn builtin_topics(catalogue: &Catalogue) -> Vec<String> {
    let mut topics: Vec<String> = catalogue.events().flat_map(spelled_names).collect();
    topics.sort_unstable();
    topics.dedup();
    topics
}

/// Why there are fewer event names than events, or more: names two
/// sources share count once, and a template names one event per value.
fn names_versus_events(catalogue: &Catalogue) -> String {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for event in catalogue.events().filter(|event| event.template.is_none()) {
        *uses.entry(event.name.as_str()).or_default() += 1;
    }
    let shared = uses.values().filter(|&&count| count > 1).count();
    let repeats: usize = uses.values().map(|count| count - 1).sum();
    let templates: Vec<usize> = catalogue
        .events()
        .filter(|event| event.template.is_some())
        .map(|event| spelled_names(event).len())
        .collect();
    let templated: usize = templates.iter().sum();
    format!(
        "{} events: {shared} names are used by two sources (-{repeats}), \
         and {} templates stand for {templated} names (+{})",
        catalogue.len(),
        templates.len(),
        templated.saturating_sub(templates.len())
    )
}

/// Every built-in event name through the demo router: who receives what.
fn route_catalogue(out: &mut impl Write, catalogue: &Catalogue) -> io::Result<()> {
    let router = demo_router();
    let topics = builtin_topics(catalogue);
    writeln!(
        out,
        "== routing: {} built-in event names through {} subscriptions of {} subscribers",
        topics.len(),
        router.len(),
        SUBSCRIBERS.len()
    )?;
    writeln!(out, "  {}", names_versus_events(catalogue))?;
    let mut received: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    let mut ids = Vec::new();
    for topic in &topics {
        if router.match_into(topic, &mut ids).is_ok() {
            for id in &ids {
                received.entry(*id).or_default().push(topic);
            }
        }
    }
    for (id, who, patterns) in SUBSCRIBERS {
        let names = received.get(&id).map_or(&[][..], Vec::as_slice);
        // Four names fit a line; a longer list shows three and how many more.
        let shown: Vec<&str> = names
            .iter()
            .take(if names.len() <= 4 { 4 } else { 3 })
            .copied()
            .collect();
        let more = names.len().saturating_sub(shown.len());
        writeln!(
            out,
            "  {id} {who:<16} {:<40} {:>3} names",
            patterns.join(" "),
            names.len(),
        )?;
        writeln!(
            out,
            "      {}{}",
            shown.join(", "),
            if more > 0 {
                format!(", ... ({more} more)")
            } else {
                String::new()
            }
        )?;
    }
    let archive_only: Vec<&str> = topics
        .iter()
        .filter(|topic| {
            router
                .match_into(topic, &mut ids)
                .is_ok_and(|()| ids.as_slice() == [ARCHIVE])
        })
        .map(String::as_str)
        .collect();
    writeln!(
        out,
        "  only the archive wants {} names, e.g. {}",
        archive_only.len(),
        archive_only
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    // A topic with a bad segment is refused with its reason, never a silent miss.
    if let Err(error) = router.match_into("payment..failed", &mut ids) {
        writeln!(out, "  \"payment..failed\" is refused: {error}")?;
    }
    Ok(())
}

/// Each vendor's message: wire bytes in, event, validation, routing, wire
/// bytes out; and Orangepill's subscription exchange with a hub.
fn wire_round_trips(out: &mut impl Write, catalogue: &Catalogue) -> io::Result<()> {
    writeln!(
        out,
        "== wire: one event per vendor, wire -> event -> validate -> route -> wire"
    )?;
    let router = demo_router();
    let mut hub = Hub::new();
    let session = hub.open();
    let keys = BTreeMap::from([(
        "REALM_KEY".to_owned(),
        "c9d4744c-0eae-4457-a665-2c18b9ac132b".to_owned(),
    )]);
    let subscribe = ClientMessage::Subscribe {
        realm: "REALM_KEY".to_owned(),
    }
    .encode();
    let mut ids = Vec::new();
    for (what, format, bytes) in WIRE_SAMPLES {
        writeln!(out, "  {what}: {} bytes as {format}", bytes.len())?;
        let decoded = match wire::decode(format, catalogue, bytes) {
            Ok(decoded) => decoded,
            Err(error) => {
                writeln!(out, "    cannot decode: {error}")?;
                continue;
            }
        };
        let event = &decoded.event;
        let mut header = format!("    event {} {}", event.source(), event.name);
        if let Some(template) = &event.template {
            header.push_str(&format!(" ({} = {})", template.parameter, template.value));
        }
        if let Some(id) = &event.id {
            header.push_str(&format!(", id {id}"));
        }
        if let Some(timestamp) = &event.timestamp {
            header.push_str(&format!(", at {}", timestamp.to_json()));
        }
        writeln!(out, "{header}")?;
        let report = &decoded.report;
        writeln!(out, "    {}", verdict(report))?;
        crate::validation::write_report(out, report, "      ")?;
        ids.clear();
        if router.match_into(&event.name, &mut ids).is_ok() {
            let names: Vec<String> = ids
                .iter()
                .filter_map(|id| SUBSCRIBERS.iter().find(|(known, _, _)| known == id))
                .map(|(id, who, _)| format!("{id} {who}"))
                .collect();
            writeln!(out, "    routed to: {}", names.join(", "))?;
        }
        if format == WireFormat::Orangepill {
            if let Ok(reply) = hub.handle(session, &subscribe, 1671547687, &keys) {
                writeln!(
                    out,
                    "    session {session} sends {}; the hub replies:",
                    String::from_utf8_lossy(&subscribe)
                )?;
                for frame in &reply.frames {
                    writeln!(out, "      {}", String::from_utf8_lossy(frame))?;
                }
            }
            if let Ok(delivery) = hub.notify("c9d4744c-0eae-4457-a665-2c18b9ac132b", event) {
                writeln!(
                    out,
                    "    realm sessions receiving it: {:?}",
                    delivery.sessions
                )?;
            }
        }
        match wire::encode(event) {
            Ok(encoded) => {
                let same = wire::decode(format, catalogue, &encoded)
                    .is_ok_and(|again| again.event == *event);
                writeln!(
                    out,
                    "    wire out: {} bytes, {}; decodes to the same event: {}",
                    encoded.len(),
                    if encoded == bytes {
                        "identical to the input"
                    } else {
                        "canonical form"
                    },
                    if same { "yes" } else { "no" }
                )?;
            }
            Err(error) => writeln!(out, "    cannot encode: {error}")?,
        }
    }
    Ok(())
}
