"""Prepared validators and lazy reports: a validator answers as
`Catalogue.validate` does, in one call, and outlives its catalogue; a report
reads its issues from the library only when asked, and stays readable after
everything that made it is closed."""

from __future__ import annotations

import array
import base64
import copy
import dataclasses
import itertools
import json
import pickle
import threading
import weakref
from typing import Any, Dict, List

import pytest

import herald
from herald import (
    Catalogue,
    CatalogueError,
    Issue,
    Limits,
    NoSchemaError,
    Report,
    Status,
    UnknownEventError,
    UnknownSchemaError,
    UnknownSourceError,
    Validator,
    _ffi,
)

from conftest import VECTORS

BALANCE = (
    '{"type":"walletBalanceChanged","payload":{"action":"credit","data":{"namespace":"ns",'
    '"userId":"u1","currencyCode":"USD","amount":500,"reason":"Purchase","origin":"System"}}}'
)
CLEAN = BALANCE.replace('"credit"', '"bulkCredit"')
INVALID = '{"type":"walletBalanceChanged","payload":{"action":7,"data":{"amount":1e3}}}'
SMS = (
    '{"type":"notification","event":"sms.message.sent","data":"63967141191e9023f356df9f",'
    '"timestamp":"162553625262"}'
)
TESTING_FEATURE_MISSING = "this libherald lacks the `testing` feature (tests/python/run.sh pass 2 has it)"


def _validation_cases() -> List[Dict[str, Any]]:
    document = json.loads((VECTORS / "validation.json").read_text(encoding="utf-8"))
    cases: List[Dict[str, Any]] = document["cases"]
    return cases


def _payload(case: Dict[str, Any]) -> bytes:
    if "payload_base64" in case:
        return base64.b64decode(case["payload_base64"])
    return str(case["payload"]).encode("utf-8")


def test_a_validator_answers_every_shared_vector_as_catalogue_validate_does(catalogue: Catalogue) -> None:
    cases = _validation_cases()
    assert len(cases) >= 90
    for case in cases:
        payload = _payload(case)
        limits = Limits(**case["limits"]) if "limits" in case else None
        if "schema" in case:
            expected = catalogue.validate_named(case["schema"], payload, limits)
            validator = catalogue.named_validator(case["schema"], limits)
        else:
            expected = catalogue.validate(case["source"], case["name"], payload, limits)
            validator = catalogue.validator(case["source"], case["name"], limits)
        assert expected.ok == case["ok"], case["description"]
        assert [(issue.code, issue.pointer) for issue in expected.errors] == [
            (item["code"], item["pointer"]) for item in case["errors"]
        ], case["description"]
        assert validator.validate(payload) == expected, case["description"]
        assert validator.is_valid(payload) is expected.ok, case["description"]


def test_a_validator_checks_the_names_when_it_is_made(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownSourceError) as source:
        catalogue.validator("nowhere", "x")
    assert source.value.code == "unknown_source" and source.value.pointer is None
    with pytest.raises(UnknownEventError) as event:
        catalogue.validator("orangepill-stream", "user.exploded")
    assert event.value.status == Status.UNKNOWN_EVENT
    with pytest.raises(CatalogueError) as utf8:
        catalogue.validator(b"\xfe", "b")
    assert utf8.value.code == "invalid_utf8"
    with pytest.raises(UnknownSchemaError):
        catalogue.named_validator("no-such-schema")
    with pytest.raises(TypeError, match="source must be str or bytes"):
        catalogue.validator(None, "x")  # type: ignore[arg-type]


def test_an_event_without_a_schema_has_no_validator(shop_json: str) -> None:
    with Catalogue.from_json(shop_json) as shop:
        with pytest.raises(NoSchemaError):
            shop.validator("shop", "order.created")
        paid = shop.validator("shop", "order.paid")
        assert paid.validate('{"type": "order.paid"}').ok
        assert paid.validate('{"type": 1}').errors[0].code == "type_mismatch"


def test_templated_names_resolve_as_in_validate(catalogue: Catalogue) -> None:
    bound = catalogue.validator("orangepill-stream", "sms.message.sent")
    assert bound.validate(SMS).ok
    assert bound.source == "orangepill-stream" and bound.name == "sms.message.sent"
    whatsapp = catalogue.validator("orangepill-stream", "whatsapp.message.sent")
    assert whatsapp.validate(SMS).errors[0].code == "event_mismatch"
    template = catalogue.validator("orangepill-stream", "{channel}.message.sent")
    assert template.validate(SMS).ok


def test_named_validators(catalogue: Catalogue) -> None:
    subscribe = catalogue.named_validator("orangepill-subscribe")
    assert subscribe.source is None and subscribe.name == "orangepill-subscribe"
    good = '{"type":"subscribe","realm":"c9d4744c-0eae-4457-a665-2c18b9ac132b"}'
    assert subscribe.validate(good).ok and subscribe.is_valid(good.encode())
    assert not subscribe.validate("{}").ok and not subscribe.is_valid("{}")
    assert catalogue.validate_named("orangepill-subscribe", "{}") == subscribe.validate("{}")
    assert repr(subscribe) == "<herald.Validator schema='orangepill-subscribe'>"


def test_a_validator_applies_its_limits(catalogue: Catalogue) -> None:
    small = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", Limits(max_payload_bytes=16))
    assert small.validate(BALANCE).errors[0].code == "too_large"
    shallow = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", limits=Limits(max_depth=2))
    report = shallow.validate(BALANCE)
    assert (report.errors[0].code, report.errors[0].pointer) == ("too_deep", "/payload/data")
    few = Limits(max_errors=1)
    truncated = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", few).validate(INVALID)
    assert len(truncated.errors) == 1 and truncated.truncated is True
    assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", INVALID, few) == truncated
    # The limits were copied: the validator keeps them whatever happens to the object.
    assert small.limits == Limits(max_payload_bytes=16)
    with pytest.raises(TypeError, match="herald.Limits"):
        catalogue.validator("accelbyte-wallet", "walletBalanceChanged", {"max_depth": 2})  # type: ignore[arg-type]


def test_is_valid_allows_warnings_and_refuses_errors(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    assert validator.validate(BALANCE).warnings and validator.is_valid(BALANCE) is True
    assert validator.is_valid(CLEAN) is True
    assert validator.is_valid(INVALID) is False
    assert validator.is_valid(b"") is False
    assert validator.is_valid(bytes(range(256))) is False


def test_validators_take_every_payload_type(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    for payload in (CLEAN, CLEAN.encode(), bytearray(CLEAN.encode()), memoryview(CLEAN.encode())):
        assert validator.validate(payload).ok and validator.is_valid(payload)
    # A lone surrogate reaches the library as bytes that are not UTF-8.
    surrogate = CLEAN.replace('"ns"', '"n\udc80"')
    assert validator.validate(surrogate).errors[0].code == "invalid_utf8"
    with pytest.raises(TypeError, match="payload must be str or bytes"):
        validator.validate({"type": "x"})  # type: ignore[arg-type]


def test_a_validator_outlives_its_catalogue_and_refuses_calls_once_closed(shop_json: str) -> None:
    shop = Catalogue.from_json(shop_json)
    validator = shop.validator("shop", "order.paid")
    other = validator.copy()
    shop.close()
    assert validator.validate('{"type": "order.paid"}').ok
    with validator:
        pass
    assert validator.closed and "closed" in repr(validator)
    for call in (lambda: validator.validate("{}"), lambda: validator.is_valid("{}"), validator.copy):
        with pytest.raises(ValueError, match="this Validator is closed"):
            call()
    assert other.validate('{"type": 1}').errors[0].code == "type_mismatch"
    assert copy.copy(other).validate("{}") == other.validate("{}")
    other.close()
    other.close()


def test_validators_are_made_only_by_a_catalogue() -> None:
    with pytest.raises(TypeError, match="Catalogue.validator"):
        Validator()


def test_a_closed_catalogue_refuses_validate_even_with_prepared_validators_kept(catalogue: Catalogue) -> None:
    assert catalogue.validate("accelbyte-wallet", "walletBalanceChanged", CLEAN).ok
    assert catalogue.validate_named("orangepill-error", "{}") is not None
    catalogue.close()
    with pytest.raises(ValueError, match="Catalogue is closed"):
        catalogue.validate("accelbyte-wallet", "walletBalanceChanged", CLEAN)
    with pytest.raises(ValueError, match="Catalogue is closed"):
        catalogue.validate_named("orangepill-error", "{}")
    with pytest.raises(ValueError, match="Catalogue is closed"):
        catalogue.validator("accelbyte-wallet", "walletBalanceChanged")


def test_validate_keeps_names_apart_and_takes_unhashable_names(catalogue: Catalogue) -> None:
    # The same text as str, bytes, bytearray and memoryview, and another limits object.
    for source, name in (
        ("accelbyte-wallet", "walletBalanceChanged"),
        (b"accelbyte-wallet", b"walletBalanceChanged"),
        (bytearray(b"accelbyte-wallet"), bytearray(b"walletBalanceChanged")),
        (memoryview(b"accelbyte-wallet"), memoryview(b"walletBalanceChanged")),
    ):
        assert catalogue.validate(source, name, CLEAN).ok
        assert catalogue.validate(source, name, BALANCE, Limits(max_depth=2)).errors[0].code == "too_deep"
    # A named schema is not an event, whatever the names look like.
    with pytest.raises(UnknownSourceError):
        catalogue.validate("orangepill-subscribe", "orangepill-subscribe", "{}")
    with pytest.raises(TypeError):
        catalogue.validate(None, "orangepill-subscribe", "{}")  # type: ignore[arg-type]
    # Endless template instances: every one still answers correctly.
    for index in range(600):
        channel = f"c{index}"
        payload = SMS.replace("sms.message.sent", f"{channel}.message.sent")
        assert catalogue.validate("orangepill-stream", f"{channel}.message.sent", payload).ok


def test_one_validator_on_many_threads_gives_the_single_threaded_answers(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    payloads = [BALANCE, CLEAN, INVALID, "", "[1,2", BALANCE.encode()]
    expected = [validator.validate(payload) for payload in payloads]
    failures: List[BaseException] = []
    barrier = threading.Barrier(6)

    def work(index: int) -> None:
        try:
            barrier.wait()
            for round_ in range(200):
                at = (index + round_) % len(payloads)
                report = (validator if round_ % 2 else catalogue).validate(*(
                    (payloads[at],) if round_ % 2 else ("accelbyte-wallet", "walletBalanceChanged", payloads[at])
                ))
                assert report == expected[at]
                assert validator.is_valid(payloads[at]) is expected[at].ok
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures[0]


# Reports ------------------------------------------------------------------


def test_a_report_is_read_after_its_catalogue_and_validator_are_closed(shop_json: str) -> None:
    shop = Catalogue.from_json(shop_json)
    validator = shop.validator("shop", "order.paid")
    wrong = validator.validate('{"type": 1, "type": "order.paid"}')
    direct = shop.validate("shop", "order.paid", '{"type": 1}')
    shop.close()
    validator.close()
    del shop, validator
    assert not wrong.ok
    assert [issue.code for issue in wrong.errors] == ["type_mismatch", "duplicate_key"]
    assert wrong.warnings == [] and wrong.truncated is False
    assert direct.errors == [Issue("type_mismatch", "/type", direct.errors[0].message)]


def test_reports_from_the_library_behave_as_the_dataclass(catalogue: Catalogue) -> None:
    warned = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", BALANCE)
    built = Report(ok=True, errors=[], warnings=list(warned.warnings), truncated=False)
    assert warned == built and built == warned
    assert repr(warned) == repr(built)
    assert dataclasses.is_dataclass(warned) and dataclasses.asdict(warned) == dataclasses.asdict(built)
    assert dataclasses.replace(warned, ok=False) == Report(False, [], built.warnings, False)
    assert pickle.loads(pickle.dumps(warned)) == built
    assert copy.deepcopy(warned) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        warned.errors = []  # type: ignore[misc]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        getattr(warned, "nothing")
    assert Report.__match_args__ == ("ok", "errors", "warnings", "truncated")


def test_clean_reports_are_separate_values(catalogue: Catalogue) -> None:
    first = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", CLEAN)
    second = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", CLEAN)
    assert first == second == Report(True, [], [], False)
    first.errors.append(Issue("x", "", "y"))
    assert second.errors == [] and first.truncated is False


def test_the_default_of_truncated_is_kept_for_reports_made_in_python() -> None:
    assert Report(True, [], []).truncated is False
    assert dataclasses.fields(Report)[3].default is False
    assert Report(False, [], [], True).truncated is True


def test_a_report_read_on_many_threads_at_once_gives_one_answer(catalogue: Catalogue) -> None:
    for _ in range(20):
        report = catalogue.validate("accelbyte-wallet", "walletBalanceChanged", INVALID)
        seen: List[Any] = []
        barrier = threading.Barrier(4)

        def read() -> None:
            barrier.wait()
            seen.append((report.errors, report.warnings, report.truncated))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(seen) == 4 and all(answer == seen[0] for answer in seen)
        assert [issue.code for issue in seen[0][0]] == [issue.code for issue in report.errors]
        assert len(report.errors) >= 3


def test_decoded_reports_are_lazy_too() -> None:
    decoded = herald.decode(
        "orangepill",
        b'{"type":"notification","event":"user.created","data":"63967141191e9023f356df9f","timestamp":1671547687}',
    )
    assert decoded.report == Report(True, [], [], False)


@pytest.mark.needs_testing_feature
def test_validators_share_their_catalogues_poisoned_flag(shop_json: str) -> None:
    assert _ffi.has("herald_debug_panic_catalogue"), TESTING_FEATURE_MISSING
    victim = Catalogue.from_json(shop_json)
    before = victim.validator("shop", "order.paid")
    assert victim.validate("shop", "order.paid", "{}").errors
    with pytest.raises(herald.InternalError):
        victim._debug_panic()
    with pytest.raises(herald.PoisonedError):
        before.validate("{}")
    with pytest.raises(herald.PoisonedError):
        before.is_valid("{}")
    with pytest.raises(herald.PoisonedError):
        before.validate_many(["{}"])
    # Also through the validators `validate` keeps.
    with pytest.raises(herald.PoisonedError):
        victim.validate("shop", "order.paid", "{}")
    with pytest.raises(herald.PoisonedError):
        victim.validator("shop", "order.paid")
    with Catalogue.from_json(shop_json) as healthy:
        assert healthy.validator("shop", "order.paid").validate("{}").errors
    before.close()
    victim.close()


# Batches --------------------------------------------------------------------


def test_validate_many_gives_the_reports_validate_gives_in_order(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    payloads: List[Any] = [CLEAN, BALANCE.encode(), INVALID, b"", bytes(range(256)), bytearray(CLEAN.encode()),
                           memoryview(INVALID.encode()), CLEAN.replace('"ns"', '"n\udc80"')]
    one_by_one = [validator.validate(payload) for payload in payloads]
    many = validator.validate_many(payloads)
    assert [report.ok for report in many] == [True, True, False, False, False, True, False, False]
    assert many == one_by_one
    assert [report.warnings for report in many] == [report.warnings for report in one_by_one]
    assert many[1].warnings[0].code == "unknown_enum" and many[2].errors[0].code == "type_mismatch"
    assert catalogue.validate_many("accelbyte-wallet", "walletBalanceChanged", iter(payloads)) == one_by_one
    assert validator.validate_many(tuple(payloads)) == one_by_one


def test_validate_many_answers_every_shared_vector_as_validate_does(catalogue: Catalogue) -> None:
    by_validator: Dict[Any, List[Dict[str, Any]]] = {}
    for case in _validation_cases():
        key = (case.get("schema"), case.get("source"), case.get("name"), json.dumps(case.get("limits")))
        by_validator.setdefault(key, []).append(case)
    assert len(by_validator) > 5
    for (schema, source, name, limits_json), cases in by_validator.items():
        limits = Limits(**json.loads(limits_json)) if json.loads(limits_json) else None
        if schema is not None:
            validator = catalogue.named_validator(schema, limits)
        else:
            validator = catalogue.validator(source, name, limits)
        payloads = [_payload(case) for case in cases]
        many = validator.validate_many(payloads)
        assert many == [validator.validate(payload) for payload in payloads]
        assert [report.ok for report in many] == [case["ok"] for case in cases]


def test_the_clean_reports_of_batches_are_one_shared_immutable_report_equal_to_a_fresh_one(
    catalogue: Catalogue,
) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    other = catalogue.validator("orangepill-stream", "sms.message.sent")
    sms = SMS.replace('"162553625262"', "1671547687")
    first, second = validator.validate_many([CLEAN, CLEAN.encode()])
    third = other.validate_many([INVALID, sms])[1]
    built = Report(True, [], [], False)
    # One report stands for every payload with no issue, of every batch.
    assert first is second is third
    assert first == built and built == first and validator.validate(CLEAN) == first
    assert first.ok is True and first.errors == [] == first.warnings and first.truncated is False
    assert repr(first) == repr(built) and isinstance(first, Report) and dataclasses.is_dataclass(first)
    assert dataclasses.asdict(first) == dataclasses.asdict(built)
    assert dataclasses.astuple(first) == dataclasses.astuple(built)
    assert dataclasses.replace(first, ok=False) == Report(False, [], [], False)
    # Immutable all through: its fields, and its issue lists.
    for field in ("ok", "errors", "warnings", "truncated", "other"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(first, field, None)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(first, field)
    issue = Issue("x", "", "y")
    for issues in (first.errors, first.warnings):
        assert isinstance(issues, list) and issues == [] and repr(issues) == "[]"
        for change in (
            lambda: issues.append(issue), lambda: issues.extend([issue]), lambda: issues.insert(0, issue),
            lambda: issues.remove(issue), lambda: issues.pop(), lambda: issues.clear(), lambda: issues.sort(),
            lambda: issues.reverse(), lambda: issues.__setitem__(slice(0, 0), [issue]),
            lambda: issues.__delitem__(slice(None)), lambda: issues.__iadd__([issue]), lambda: issues.__imul__(2),
        ):
            with pytest.raises(TypeError, match="immutable"):
                change()
        assert issues == []
    assert validator.validate_many([CLEAN])[0].errors == [] == validator.validate_many([CLEAN])[0].warnings
    # A copy, a pickle or a deep copy is a plain Report with lists of its own.
    for made in (copy.copy(first), copy.deepcopy(first), pickle.loads(pickle.dumps(first))):
        assert type(made) is Report and made == built and made is not first
        made.errors.append(issue)
        assert made.errors == [issue] and first.errors == []
    assert weakref.ref(first)() is first
    with pytest.raises(AttributeError, match="'Report' object has no attribute 'nothing'"):
        getattr(first, "nothing")


def test_every_mix_of_clean_warned_and_invalid_payloads_gets_the_reports_validate_gives(
    catalogue: Catalogue,
) -> None:
    # A batch makes its reports by the shape of its counts (none with an
    # issue, all warned, all invalid, or mixed): every shape of four
    # payloads, as bytes and as str, against the payloads one by one.
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    kinds = (CLEAN, BALANCE, INVALID)
    expected = {payload: validator.validate(payload) for payload in kinds}
    assert [expected[payload].ok for payload in kinds] == [True, True, False]
    assert [bool(expected[payload].warnings) for payload in kinds] == [False, True, False]
    shared = validator.validate_many([CLEAN])[0]
    for shape in itertools.product(kinds, repeat=4):
        for batch in ([payload.encode() for payload in shape], list(shape)):
            reports = validator.validate_many(batch)
            assert [report.ok for report in reports] == [expected[payload].ok for payload in shape]
            assert reports == [expected[payload] for payload in shape], shape
            assert [report.warnings for report in reports] == [expected[payload].warnings for payload in shape]
            assert [report.truncated for report in reports] == [expected[payload].truncated for payload in shape]
            # Every clean payload gets the shared report, and only they do.
            assert [report is shared for report in reports] == [payload == CLEAN for payload in shape]
    # Counts from 256 on have a zero first byte, which the quick look at
    # the counts cannot tell from a zero count: 256 errors, in every place.
    many_errors = json.loads(CLEAN)
    many_errors.update((f"unknown{index}", index) for index in range(256))
    crowded = json.dumps(many_errors)
    roomy = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", Limits(max_errors=1000))
    assert len(roomy.validate(crowded).errors) == 256
    crowded_expected = {payload: roomy.validate(payload) for payload in (*kinds, crowded)}
    for shape in [(crowded,) * 3, *itertools.product((*kinds, crowded), repeat=2)]:
        reports = roomy.validate_many(list(shape))
        assert reports == [crowded_expected[payload] for payload in shape], shape
        assert [len(report.errors) for report in reports] == [len(crowded_expected[p].errors) for p in shape]
    # Under `max_errors == 0` every report keeps its payload: only the
    # library's report says whether issues were dropped.
    silent = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", Limits(max_errors=0))
    for shape in itertools.product(kinds, repeat=3):
        reports = silent.validate_many(list(shape))
        assert reports == [silent.validate(payload) for payload in shape]
        assert [report.truncated for report in reports] == [payload != CLEAN for payload in shape]


def test_the_quick_look_at_a_batchs_counts_finds_a_zero_count_wherever_the_simple_rule_does() -> None:
    from herald import validation

    code = validation._SIZE_CODE
    top = 1 << 8 * validation._SIZE_BYTES
    # Zero, counts with a first byte that is not zero, and counts whose
    # first byte (or more) is zero, up to the largest.
    values = (0, 1, 255, 256, 257, 65536, 1 << 24, top >> 8, top >> 1, top - 256, top - 1)
    for length in range(1, 5):
        for combination in itertools.product(values, repeat=length):
            counts = array.array(code, combination)
            found = counts.tobytes()
            for start in range(length + 1):
                for stop in range(start, length + 1):
                    expected = all(combination[start:stop])
                    assert validation._none_zero(counts, found, start, stop) is expected, (combination, start, stop)


def test_a_batch_report_is_a_frozen_report_value(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    for report, payload in zip(validator.validate_many([CLEAN, BALANCE, INVALID]), (CLEAN, BALANCE, INVALID)):
        built = validator.validate(payload)
        assert isinstance(report, Report) and dataclasses.is_dataclass(report)
        assert repr(report) == repr(built) and report == built and built == report
        assert copy.copy(report) == built and copy.deepcopy(report) == built
        assert pickle.loads(pickle.dumps(report)) == built
        assert dataclasses.astuple(report) == dataclasses.astuple(built)
        assert dataclasses.replace(report, truncated=True) == dataclasses.replace(built, truncated=True)
        assert weakref.ref(report)() is report
        with pytest.raises(TypeError, match="unhashable"):
            hash(report)
        for field in ("ok", "errors", "warnings", "truncated", "_recheck", "other"):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(report, field, None)
            with pytest.raises(dataclasses.FrozenInstanceError):
                delattr(report, field)
        assert report.errors is report.errors and report.warnings is report.warnings


def test_threads_reading_one_batch_report_at_once_see_the_same_lists(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    for _ in range(20):
        report = validator.validate_many([INVALID])[0]
        seen: List[Any] = []
        start = threading.Barrier(4)

        def read() -> None:
            start.wait()
            seen.append((report.errors, report.warnings))

        threads = [threading.Thread(target=read) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(seen) == 4
        assert all(errors is report.errors and warnings is report.warnings for errors, warnings in seen)


def test_a_closed_validators_batch_reports_still_read_their_issues(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    reports = validator.validate_many([BALANCE, INVALID, CLEAN])
    validator.close()
    assert [report.ok for report in reports] == [True, False, True]
    assert reports[0].warnings[0].code == "unknown_enum" and reports[1].errors[0].code == "type_mismatch"
    assert reports[2].errors == [] == reports[2].warnings
    with pytest.raises(ValueError, match="this Validator is closed"):
        validator.validate_many([BALANCE])


def test_validate_many_reads_every_buffer_by_its_bytes(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    # A memoryview of 2-byte items: its len() counts items, not bytes.
    raw = CLEAN.encode() + (b" " if len(CLEAN.encode()) % 2 else b"")
    wide = memoryview(array.array("H", raw))
    broken = bytearray(INVALID.encode())
    # Every other byte: a memoryview that is not contiguous.
    strided = memoryview(bytes(byte for pair in zip(raw, raw) for byte in pair))[::2]
    reports = validator.validate_many([wide, broken, CLEAN, memoryview(raw), strided])
    assert [report.ok for report in reports] == [True, False, True, True, True]
    assert reports == [validator.validate(payload) for payload in (raw, bytes(broken), CLEAN, raw, raw)]
    # In a batch, any other contiguous byte buffer is read as its bytes.
    assert validator.validate_many([array.array("B", INVALID.encode())]) == [validator.validate(INVALID)]
    # The report with an issue keeps the bytes it was given, not the buffer.
    broken[:] = CLEAN.encode()
    assert reports[1].errors[0].code == "type_mismatch"


def test_validate_many_of_nothing_is_an_empty_list(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    assert validator.validate_many([]) == [] and validator.validate_many(iter(())) == []
    assert catalogue.validate_many("accelbyte-wallet", "walletBalanceChanged", []) == []


def test_validate_many_refuses_what_is_not_a_batch_of_payloads(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    with pytest.raises(TypeError, match=r"payloads\[1\] must be str or bytes, not int"):
        validator.validate_many([CLEAN, 7])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"payloads\[2\] must be str or bytes, not dict"):
        validator.validate_many(iter([CLEAN, CLEAN, {"type": "x"}]))  # type: ignore[list-item]
    for single in (CLEAN, CLEAN.encode(), bytearray(b"{}")):
        with pytest.raises(TypeError, match="an iterable of payloads, not one"):
            validator.validate_many(single)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="an iterable of payloads, not int"):
        validator.validate_many(3)  # type: ignore[arg-type]
    with pytest.raises(UnknownEventError):
        catalogue.validate_many("accelbyte-wallet", "noSuchEvent", [CLEAN])
    validator.close()
    with pytest.raises(ValueError, match="this Validator is closed"):
        validator.validate_many([CLEAN])


def test_validate_many_applies_the_validators_limits(catalogue: Catalogue) -> None:
    strict = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", Limits(max_payload_bytes=64))
    assert [report.ok for report in strict.validate_many([CLEAN, "{}"])] == [False, False]
    assert strict.validate_many([CLEAN])[0].errors[0].code == "too_large"
    # With no errors reported at all, only the report knows it was cut short.
    silent = catalogue.validator("accelbyte-wallet", "walletBalanceChanged", Limits(max_errors=0))
    for report in silent.validate_many([INVALID, CLEAN]) + [silent.validate(INVALID)]:
        assert report.errors == []
    assert [report.truncated for report in silent.validate_many([INVALID, CLEAN])] == [True, False]
    assert silent.validate(INVALID).truncated is True


def test_reports_of_a_batch_are_read_after_everything_is_closed(shop_json: str) -> None:
    shop = Catalogue.from_json(shop_json)
    validator = shop.validator("shop", "order.paid")
    payload = bytearray(b'{"type": 1}')
    reports = validator.validate_many([payload, '{"type": "order.paid"}'])
    direct = shop.validate_many("shop", "order.paid", [payload])
    # The reports keep what they were given, not the caller's buffer.
    payload[:] = b'{"type": "order.paid"}'
    shop.close()
    validator.close()
    del shop, validator
    assert [report.ok for report in reports] == [False, True]
    assert reports[0].errors[0].code == "type_mismatch" == direct[0].errors[0].code
    assert reports[1] == Report(True, [], [], False)
    assert pickle.loads(pickle.dumps(reports)) == reports


def test_threads_validating_batches_get_the_single_threaded_answers(catalogue: Catalogue) -> None:
    validator = catalogue.validator("accelbyte-wallet", "walletBalanceChanged")
    batch = [CLEAN, BALANCE, INVALID, b"[" * 200] * 50
    expected = [validator.validate(payload) for payload in batch]
    failures: List[str] = []

    def work() -> None:
        for _ in range(20):
            if validator.validate_many(batch) != expected:
                failures.append("a batch answered differently")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
