//! Each broker's rules: which forms it can express, how they are written, and
//! which topics it can carry.
//!
//! This module turns the form a pattern wants into forms the broker can
//! express (splitting, expanding or widening as each broker requires), writes
//! forms and topics in the broker's syntax, and refuses what the broker cannot
//! carry. It never judges exactness: the planner does that on the forms it
//! gets back.

use super::form::{Form, Part};
use super::{Broker, Planner, Refusal};
use crate::topic::Topic;

/// The longest MQTT topic or filter: a two-byte length prefix.
const MQTT_MAX_BYTES: usize = 65_535;
/// The longest AMQP routing or binding key: a short string.
const AMQP_MAX_BYTES: usize = 255;
/// The most `#` RabbitMQ accepts in one binding key.
const AMQP_MAX_HASHES: usize = 2;

/// The forms to subscribe to for `wanted`: their union holds every topic of
/// `wanted` the broker can carry, and each one is expressible on the broker.
pub(super) fn subscription_forms(planner: &Planner, wanted: &Form) -> Result<Vec<Form>, Refusal> {
    if planner.broker == Broker::Mqtt {
        for (index, part) in wanted.parts().iter().enumerate() {
            if let Part::Literal(text) = part {
                check_mqtt_segment(index, text)?;
            }
        }
    }
    let forms = match planner.broker {
        Broker::Nats | Broker::Mqtt => level_forms(planner, wanted),
        Broker::Amqp => vec![amqp_form(wanted)],
        Broker::Redis => redis_forms(wanted),
    };
    let mut carried = Vec::with_capacity(forms.len());
    let mut reserved = false;
    for form in forms {
        let Some(form) = clip(planner, form) else {
            continue;
        };
        if planner.broker == Broker::Mqtt && starts_reserved(&form) {
            reserved = true;
            continue;
        }
        carried.push(form);
    }
    if carried.is_empty() {
        let because = if reserved {
            Refusal::ReservedPrefix
        } else {
            Refusal::TooDeep {
                levels: wanted.min_len(),
                max: planner.max_depth,
            }
        };
        return Err(Refusal::NothingToCarry {
            because: Box::new(because),
        });
    }
    Ok(carried)
}

/// NATS and MQTT: wildcards are whole levels, the multi-level one only last.
fn level_forms(planner: &Planner, wanted: &Form) -> Vec<Form> {
    let parts = wanted.parts();
    let middle: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(index, part)| matches!(part, Part::Many) && index + 1 < parts.len())
        .map(|(index, _)| index)
        .collect();
    let Some(&first) = middle.first() else {
        return finish_tail(planner.broker, wanted.clone());
    };
    if let Some(expanded) = expand(planner, wanted, &middle) {
        return expanded;
    }
    // Everything before the first middle `#`, then as many levels as the rest
    // needs at least, then anything: every topic of `wanted` matches it.
    let rest = Form::new(parts[first + 1..].to_vec()).min_len();
    let mut widened = parts[..first].to_vec();
    widened.extend(std::iter::repeat_n(Part::One, rest));
    widened.push(Part::Many);
    finish_tail(planner.broker, Form::new(widened))
}

/// Replaces each middle `Many` by every fixed number of `One`s that keeps the
/// form within the planner's depth; `None` when that takes more
/// subscriptions than the planner's cap.
fn expand(planner: &Planner, wanted: &Form, middle: &[usize]) -> Option<Vec<Form>> {
    let cap = planner.max_expansion;
    if cap == 0 {
        return None;
    }
    let room = planner.max_depth.checked_sub(wanted.min_len())?;
    let mut forms = Vec::new();
    let mut counts = vec![0usize; middle.len()];
    loop {
        let mut parts = Vec::with_capacity(wanted.parts().len() + room);
        for (index, part) in wanted.parts().iter().enumerate() {
            match middle.iter().position(|&at| at == index) {
                Some(which) => parts.extend(std::iter::repeat_n(Part::One, counts[which])),
                None => parts.push(part.clone()),
            }
        }
        for form in finish_tail(planner.broker, Form::new(parts)) {
            if let Some(form) = clip(planner, form) {
                forms.push(form);
                if forms.len() > cap {
                    return None;
                }
            }
        }
        // The next combination of counts whose sum stays within `room`, in
        // the order of an odometer whose last wheel turns fastest.
        let mut wheel = middle.len();
        loop {
            if wheel == 0 {
                return Some(forms);
            }
            wheel -= 1;
            counts[wheel] += 1;
            if counts.iter().sum::<usize>() <= room {
                break;
            }
            counts[wheel] = 0;
        }
    }
}

/// NATS has no "zero or more" at all: a trailing `Many` after a literal
/// becomes the form without it plus the form with one or more (`a.#` is `a`
/// and `a.>`). MQTT's `#` already matches its parent level.
fn finish_tail(broker: Broker, form: Form) -> Vec<Form> {
    if broker != Broker::Nats {
        return vec![form];
    }
    let parts = form.parts();
    let split = match parts {
        [Part::Many] => return vec![Form::new(vec![Part::One, Part::Many])],
        [.., Part::Literal(_), Part::Many] => true,
        _ => false,
    };
    if !split {
        return vec![form];
    }
    let without = parts[..parts.len() - 1].to_vec();
    let mut with = without.clone();
    with.extend([Part::One, Part::Many]);
    vec![Form::new(without), Form::new(with)]
}

/// AMQP expresses every herald pattern, but RabbitMQ refuses more than two
/// `#`: the rest of such a pattern is widened to a final `#`.
fn amqp_form(wanted: &Form) -> Form {
    if wanted.many_count() <= AMQP_MAX_HASHES {
        return wanted.clone();
    }
    let mut seen = 0;
    let mut parts = Vec::new();
    for part in wanted.parts() {
        parts.push(part.clone());
        if matches!(part, Part::Many) {
            seen += 1;
            if seen == AMQP_MAX_HASHES {
                break;
            }
        }
    }
    Form::new(parts)
}

/// Redis: between dots, `*` is one or more whole segments of a valid topic.
/// So a run of `One`s ending in `Many` is written exactly, a run of `One`s
/// alone is widened to it, and a lone `Many` is split into "nothing here"
/// and "one or more here".
fn redis_forms(wanted: &Form) -> Vec<Form> {
    let mut alternatives: Vec<Vec<Part>> = vec![Vec::new()];
    let parts = wanted.parts();
    let mut index = 0;
    while index < parts.len() {
        match &parts[index] {
            Part::Literal(text) => {
                for parts in &mut alternatives {
                    parts.push(Part::Literal(text.clone()));
                }
                index += 1;
            }
            Part::One => {
                let ones = parts[index..]
                    .iter()
                    .take_while(|part| matches!(part, Part::One))
                    .count();
                index += ones;
                if matches!(parts.get(index), Some(Part::Many)) {
                    index += 1;
                }
                for parts in &mut alternatives {
                    parts.extend(std::iter::repeat_n(Part::One, ones));
                    parts.push(Part::Many);
                }
            }
            Part::Many => {
                let with: Vec<Vec<Part>> = alternatives
                    .iter()
                    .map(|parts| {
                        let mut parts = parts.clone();
                        parts.extend([Part::One, Part::Many]);
                        parts
                    })
                    .collect();
                alternatives.extend(with);
                index += 1;
            }
        }
    }
    alternatives
        .into_iter()
        .filter(|parts| !parts.is_empty())
        .map(Form::new)
        .collect()
}

/// Drops a form whose every topic is deeper than the planner allows. At
/// exactly that depth its `Many` parts can only match nothing, so brokers
/// that count levels get the form without them (AWS IoT refuses filters
/// deeper than its topics); Redis keeps them, as it cannot write a lone `One`.
fn clip(planner: &Planner, form: Form) -> Option<Form> {
    let min_len = form.min_len();
    if min_len > planner.max_depth {
        None
    } else if min_len == planner.max_depth && planner.broker != Broker::Redis {
        Some(form.without_many())
    } else {
        Some(form)
    }
}

fn starts_reserved(form: &Form) -> bool {
    matches!(form.parts().first(), Some(Part::Literal(text)) if text.starts_with('$'))
}

/// Writes a form in the broker's syntax, refusing it when it is too long.
pub(super) fn render(planner: &Planner, form: &Form) -> Result<String, Refusal> {
    let broker = planner.broker;
    if form.matches_everything() {
        return Ok(match broker {
            Broker::Nats => ">",
            Broker::Mqtt | Broker::Amqp => "#",
            Broker::Redis => "*",
        }
        .to_owned());
    }
    let mut tokens: Vec<String> = Vec::with_capacity(form.parts().len());
    for part in form.parts() {
        match (broker, part) {
            (Broker::Redis, Part::Literal(text)) => tokens.push(redis_escape(text)),
            (_, Part::Literal(text)) => tokens.push(text.to_string()),
            (Broker::Nats | Broker::Amqp | Broker::Redis, Part::One) => tokens.push("*".into()),
            (Broker::Mqtt, Part::One) => tokens.push("+".into()),
            // The translation only leaves a NATS `Many` right after a `One`,
            // and Redis's `*` already means the `One` and the `Many` together.
            (Broker::Nats, Part::Many) => {
                tokens.pop();
                tokens.push(">".into());
            }
            (Broker::Redis, Part::Many) => {}
            (Broker::Mqtt | Broker::Amqp, Part::Many) => tokens.push("#".into()),
        }
    }
    let separator = if broker == Broker::Mqtt { "/" } else { "." };
    let text = tokens.join(separator);
    match broker {
        Broker::Mqtt => check_length(planner, "MQTT topic filter", &text)?,
        Broker::Amqp => check_length(planner, "AMQP binding key", &text)?,
        Broker::Nats | Broker::Redis => {}
    }
    Ok(text)
}

/// The name to publish `topic` under.
pub(super) fn topic(planner: &Planner, topic: &Topic<'_>) -> Result<String, Refusal> {
    let levels = topic.segment_count();
    if levels > planner.max_depth {
        return Err(Refusal::TooDeep {
            levels,
            max: planner.max_depth,
        });
    }
    match planner.broker {
        Broker::Nats | Broker::Redis => Ok(topic.as_str().to_owned()),
        Broker::Amqp => {
            check_length(planner, "AMQP routing key", topic.as_str())?;
            Ok(topic.as_str().to_owned())
        }
        Broker::Mqtt => {
            for (index, segment) in topic.segments().enumerate() {
                check_mqtt_segment(index, segment)?;
            }
            if topic.as_str().starts_with('$') {
                return Err(Refusal::ReservedPrefix);
            }
            let text = topic.as_str().replace('.', "/");
            check_length(planner, "MQTT topic", &text)?;
            Ok(text)
        }
    }
}

fn check_length(planner: &Planner, what: &'static str, text: &str) -> Result<(), Refusal> {
    let (what, max) = match (planner.broker, planner.profile) {
        (Broker::Mqtt, Some(profile)) => (
            if what == "MQTT topic" {
                "AWS IoT topic"
            } else {
                "AWS IoT topic filter"
            },
            profile.max_topic_bytes(),
        ),
        (Broker::Mqtt, None) => (what, MQTT_MAX_BYTES),
        _ => (what, AMQP_MAX_BYTES),
    };
    if text.len() > max {
        return Err(Refusal::TooLong {
            what,
            len: text.len(),
            max,
        });
    }
    Ok(())
}

/// MQTT has no escaping: a segment holding its separator or a wildcard
/// character cannot be written, nor can a non-character (Mosquitto drops the
/// connection of a client that sends one).
fn check_mqtt_segment(index: usize, text: &str) -> Result<(), Refusal> {
    for character in text.chars() {
        match character {
            '/' => return Err(Refusal::SeparatorInSegment { index }),
            '+' | '#' => return Err(Refusal::WildcardInSegment { index, character }),
            _ if is_noncharacter(character) => {
                return Err(Refusal::NonCharacter { index, character });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Unicode's 66 non-characters: U+FDD0..=U+FDEF and the last two code points
/// of every plane.
fn is_noncharacter(character: char) -> bool {
    let code = u32::from(character);
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Redis glob metacharacters in a literal segment, each behind a backslash.
fn redis_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}
