"""Topics and patterns: validate_topic, validate_pattern and matches, with str
and bytes inputs, non-ASCII names and text that is not UTF-8."""

from __future__ import annotations

import pytest

import herald
from herald import PatternError, Status, TopicError


def test_valid_topics_pass() -> None:
    for topic in ("payment.card.success", "walletBalanceChanged", "{channel}.message.sent", "zahlung.größe"):
        assert herald.validate_topic(topic) is None


@pytest.mark.parametrize(
    "topic, code",
    [
        ("", "empty"),
        ("payment..success", "empty_segment"),
        (".payment", "empty_segment"),
        ("payment.", "empty_segment"),
        ("pay ment", "forbidden_character"),
        ("pay\tment", "forbidden_character"),
        ("payment.*", "reserved_character"),
        ("payment.#", "reserved_character"),
        ("a>", "reserved_character"),
    ],
)
def test_invalid_topics_raise_topic_error_with_the_rule(topic: str, code: str) -> None:
    with pytest.raises(TopicError) as raised:
        herald.validate_topic(topic)
    error = raised.value
    assert error.status == Status.INVALID_TOPIC
    assert error.code == code
    assert error.pointer is None
    assert str(error).startswith("invalid topic")
    assert isinstance(error, ValueError) and isinstance(error, herald.HeraldError)


def test_topic_error_says_where() -> None:
    with pytest.raises(TopicError, match="byte 8"):
        herald.validate_topic("payment..success")


def test_topic_limits_are_enforced() -> None:
    herald.validate_topic("a" * 1024)
    with pytest.raises(TopicError):
        herald.validate_topic("a" * 1025)
    herald.validate_topic(".".join(["a"] * 128))
    with pytest.raises(TopicError):
        herald.validate_topic(".".join(["a"] * 129))


def test_valid_patterns_pass() -> None:
    for pattern in ("payment.#", "#.failed", "*.message.sent", "apps.payment.>", "#", ">", "a.#.b.#.c"):
        assert herald.validate_pattern(pattern) is None


@pytest.mark.parametrize(
    "pattern, code",
    [
        ("pay*", "wildcard_inside_segment"),
        ("a#b", "wildcard_inside_segment"),
        ("foo>", "wildcard_inside_segment"),
        ("a.>.b", "tail_not_last"),
        ("#.a.#.b.#", "too_many_hashes"),
        ("a..b", "empty_segment"),
        ("", "empty"),
        ("a b", "forbidden_character"),
    ],
)
def test_invalid_patterns_raise_pattern_error_with_the_rule(pattern: str, code: str) -> None:
    with pytest.raises(PatternError) as raised:
        herald.validate_pattern(pattern)
    assert raised.value.status == Status.INVALID_PATTERN
    assert raised.value.code == code
    assert raised.value.pointer is None


def test_matches() -> None:
    assert herald.matches("payment.#", "payment") is True
    assert herald.matches("#.failed", "external.subscribe.cancel.failed") is True
    assert herald.matches("apps.payment.>", "apps.payment") is False
    assert herald.matches("Payment.card", "payment.card") is False


def test_matches_raises_on_an_invalid_pattern_or_topic() -> None:
    with pytest.raises(PatternError) as raised:
        herald.matches("a*", "a")
    assert raised.value.code == "wildcard_inside_segment"
    with pytest.raises(TopicError) as topic_raised:
        herald.matches("#", "a..b")
    assert topic_raised.value.code == "empty_segment"


def test_bytes_and_str_give_the_same_answers() -> None:
    assert herald.matches(b"payment.#", b"payment.card") is True
    assert herald.matches("payment.#", b"payment.card") is True
    assert herald.matches(bytearray(b"payment.#"), memoryview(b"payment.card")) is True
    herald.validate_topic(b"payment.card.success")
    herald.validate_pattern(bytearray(b"payment.#"))
    with pytest.raises(TopicError):
        herald.validate_topic(b"payment..success")


def test_non_ascii_topics_are_byte_exact() -> None:
    assert herald.matches("größe.*", "größe.支払い") is True
    assert herald.matches("größe.*".encode(), "größe.支払い".encode()) is True
    # No Unicode normalisation: a precomposed ö is not o + combining diaeresis.
    assert herald.matches("gr\u00f6\u00dfe", "gro\u0308\u00dfe") is False
    herald.validate_topic("日本.イベント.😀")


def test_invalid_utf8_bytes_raise_the_inputs_error_with_code_invalid_utf8() -> None:
    with pytest.raises(TopicError) as raised:
        herald.validate_topic(b"\xff\xfe")
    assert raised.value.status == Status.INVALID_UTF8
    assert raised.value.code == "invalid_utf8"
    with pytest.raises(PatternError) as pattern_raised:
        herald.validate_pattern(b"\x80")
    assert pattern_raised.value.code == "invalid_utf8"
    with pytest.raises(TopicError):
        herald.matches(b"a", b"\xff")
    with pytest.raises(PatternError):
        herald.matches(b"\xc0", b"a")


def test_a_lone_surrogate_is_invalid_utf8_not_a_unicode_error() -> None:
    with pytest.raises(TopicError) as raised:
        herald.validate_topic("payment.\udc80")
    assert raised.value.code == "invalid_utf8"
    assert isinstance(raised.value, ValueError)
    with pytest.raises(PatternError) as pattern_raised:
        herald.matches("\ud83d.#", "a")
    assert pattern_raised.value.status == Status.INVALID_UTF8


def test_embedded_nul_is_a_forbidden_character_not_a_terminator() -> None:
    with pytest.raises(TopicError) as raised:
        herald.validate_topic("payment\x00.card")
    assert raised.value.code == "forbidden_character"


@pytest.mark.parametrize("value", [None, 5, 1.5, ["a"], object()])
def test_other_types_raise_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="topic must be str or bytes"):
        herald.validate_topic(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pattern must be str or bytes"):
        herald.matches(value, "a")  # type: ignore[arg-type]
