//! Reference matchers of each broker's subscription syntax, written from
//! the brokers' documented semantics: what a planned subscription receives.
//! The broker-plan tests and the `broker_plan` fuzz target check herald's
//! plans against them.

use herald_core::broker::Broker;

/// NATS: `.` tokens, `*` one token, `>` one or more and last. Errors on an
/// invalid subscription subject.
pub fn nats_matches(filter: &str, subject: &str) -> Result<bool, String> {
    let filter: Vec<&str> = filter.split('.').collect();
    if filter.iter().any(|token| token.is_empty()) {
        return Err(format!("empty token in {filter:?}"));
    }
    if filter[..filter.len() - 1].contains(&">") {
        return Err(format!("`>` not last in {filter:?}"));
    }
    let subject: Vec<&str> = subject.split('.').collect();
    for (index, token) in filter.iter().enumerate() {
        match *token {
            ">" => return Ok(subject.len() > index),
            "*" if index < subject.len() => {}
            literal if index < subject.len() && subject[index] == literal => {}
            _ => return Ok(false),
        }
    }
    Ok(filter.len() == subject.len())
}

/// MQTT: `/` levels, `+` one level, `#` last and zero or more levels (the
/// parent too); root wildcards never match `$` topics.
pub fn mqtt_matches(filter: &str, topic: &str) -> Result<bool, String> {
    let levels: Vec<&str> = filter.split('/').collect();
    for (index, level) in levels.iter().enumerate() {
        let wild = level.contains('+') || level.contains('#');
        if wild && *level != "+" && *level != "#" {
            return Err(format!("wildcard inside level {level:?} of {filter:?}"));
        }
        if *level == "#" && index + 1 != levels.len() {
            return Err(format!("`#` not last in {filter:?}"));
        }
    }
    if topic.contains('+') || topic.contains('#') {
        return Err(format!("wildcard in topic {topic:?}"));
    }
    if topic.starts_with('$') && matches!(levels[0], "+" | "#") {
        return Ok(false);
    }
    let topic: Vec<&str> = topic.split('/').collect();
    for (index, level) in levels.iter().enumerate() {
        match *level {
            "#" => return Ok(true),
            "+" if index < topic.len() => {}
            literal if index < topic.len() && topic[index] == literal => {}
            _ => return Ok(false),
        }
    }
    Ok(levels.len() == topic.len())
}

/// AMQP topic exchange: `.` words, `*` one word, `#` zero or more anywhere.
pub fn amqp_matches(binding: &str, routing_key: &str) -> Result<bool, String> {
    if binding.len() > 255 || routing_key.len() > 255 {
        return Err("key over 255 bytes".into());
    }
    if binding.split('.').filter(|word| *word == "#").count() > 2 {
        return Err(format!("more than two `#` in {binding:?}"));
    }
    fn walk(binding: &[&str], key: &[&str]) -> bool {
        match binding.split_first() {
            None => key.is_empty(),
            Some((&"#", rest)) => (0..=key.len()).any(|skip| walk(rest, &key[skip..])),
            Some((&"*", rest)) => !key.is_empty() && walk(rest, &key[1..]),
            Some((word, rest)) => key.first() == Some(word) && walk(rest, &key[1..]),
        }
    }
    let binding: Vec<&str> = if binding.is_empty() {
        Vec::new()
    } else {
        binding.split('.').collect()
    };
    let key: Vec<&str> = if routing_key.is_empty() {
        Vec::new()
    } else {
        routing_key.split('.').collect()
    };
    Ok(walk(&binding, &key))
}

/// Redis glob (`stringmatchlen`): `*` any bytes, `?` one byte, `[...]` a set
/// (`^` negates, `a-z` ranges, `\` escapes), `\` escapes outside sets.
pub fn redis_matches(glob: &str, channel: &str) -> Result<bool, String> {
    fn walk(glob: &[u8], text: &[u8]) -> bool {
        let Some((&first, rest)) = glob.split_first() else {
            return text.is_empty();
        };
        match first {
            b'*' => (0..=text.len()).any(|skip| walk(rest, &text[skip..])),
            b'?' => !text.is_empty() && walk(rest, &text[1..]),
            b'[' => {
                let Some((&byte, text_rest)) = text.split_first() else {
                    return false;
                };
                let (negate, mut at) = match rest.first() {
                    Some(b'^') => (true, 1),
                    _ => (false, 0),
                };
                let mut hit = false;
                loop {
                    match rest.get(at) {
                        None => break,
                        Some(b']') => {
                            at += 1;
                            break;
                        }
                        Some(b'\\') if at + 1 < rest.len() => {
                            hit |= rest[at + 1] == byte;
                            at += 2;
                        }
                        Some(&low) if rest.get(at + 1) == Some(&b'-') && at + 2 < rest.len() => {
                            let high = rest[at + 2];
                            let (low, high) = if low > high { (high, low) } else { (low, high) };
                            hit |= (low..=high).contains(&byte);
                            at += 3;
                        }
                        Some(&other) => {
                            hit |= other == byte;
                            at += 1;
                        }
                    }
                }
                hit != negate && walk(&rest[at.min(rest.len())..], text_rest)
            }
            b'\\' if !rest.is_empty() => {
                text.first() == Some(&rest[0]) && walk(&rest[1..], &text[1..])
            }
            byte => text.first() == Some(&byte) && walk(rest, &text[1..]),
        }
    }
    Ok(walk(glob.as_bytes(), channel.as_bytes()))
}

pub fn oracle(broker: Broker) -> fn(&str, &str) -> Result<bool, String> {
    match broker {
        Broker::Nats => nats_matches,
        Broker::Mqtt => mqtt_matches,
        Broker::Amqp => amqp_matches,
        Broker::Redis => redis_matches,
    }
}
