"""The hub's ingest against what an attacker sent it (issue #11 §2.1): wrong shapes, deep nesting, bodies
of empty objects, oversized bodies, unknown sources. Every answer is a 4xx naming the field, small."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from tests.conftest import obs, order, ref, token_for


@pytest.fixture
def supervisor(hub):
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token_for(hub.url, 'supervisor')}"},
                      timeout=30) as client:  # fmt: skip
        yield client


def refused(answer: httpx.Response, status: int, field: str) -> dict:
    assert answer.status_code == status, answer.text[:500]
    body = answer.json()
    assert body["field"] == field and body["detail"] and body["detail_zh"], body
    return body


PUSH = {"status": "polling", "lastResult": {"nu": "SF7788", "state": "3",
        "data": [{"time": "2026-01-26 10:00:00", "ftime": "2026-01-26 10:00:00", "context": "已签收"}]}}  # fmt: skip


@pytest.mark.parametrize(
    ("source", "body", "field"),
    [
        ("douyin", {"orders": 5}, "orders"),
        ("douyin", {"observations": {"a": 1}}, "observations"),
        ("douyin", {"orders": None}, "orders"),
        ("douyin", {"order": [order("TYPO")]}, "order"),  # a typo must not lose the batch silently
        ("douyin", [order("A")], "$"),
        ("douyin", "orders", "$"),
        ("kuaidi100", {"lastResult": "3"}, "lastResult"),
        ("kuaidi100", {"lastResult": {"nu": "SF1", "state": "3", "data": "today"}}, "lastResult.data"),
        ("kuaidi100", {"lastResult": {"nu": "SF1", "state": "3", "data": [5]}}, "lastResult.data[0]"),
        ("kuaidi100", {"lastResult": {"nu": ["SF1"], "state": "3"}}, "lastResult.nu"),
        ("kuaidi100", {"lastResult": {"nu": "SF1"}}, "lastResult.state"),  # nothing to record
        ("kuaidi100", {"param": ["x"]}, "param"),
        ("kuaidi100", {**PUSH, "observations": [{"status": 3}]}, "observations"),  # not silently dropped
        ("kuaidi100", {"param": "[1, 2]"}, "param"),
    ],
)
def test_a_body_of_the_wrong_shape_is_refused_naming_the_field(supervisor, source, body, field):
    refused(supervisor.post(f"/v1/ingest/{source}", json=body), 422, field)


def test_kuaidi100_form_bodies_of_the_wrong_shape_are_refused_naming_the_field(supervisor):
    refused(supervisor.post("/v1/ingest/kuaidi100", data={"param": "not json"}), 400, "param")
    refused(supervisor.post("/v1/ingest/kuaidi100", data={"param": "[1]"}), 422, "param")
    refused(supervisor.post("/v1/ingest/kuaidi100", data={"param": '{"lastResult": 3}'}), 422, "param.lastResult")
    refused(supervisor.post("/v1/ingest/kuaidi100", data={"other": "x"}), 422, "param")
    refused(supervisor.post("/v1/ingest/douyin", data={"param": json.dumps(PUSH)}), 422, "param")
    refused(supervisor.post("/v1/ingest/kuaidi100", files={"param": ("p", b"{}")}), 415, "Content-Type")
    good = supervisor.post("/v1/ingest/kuaidi100", data={"param": json.dumps(PUSH, ensure_ascii=False)})
    assert good.status_code == 200 and good.json()["observations_new"] == 1


@pytest.mark.parametrize("depth", [33, 1000, 10_000])
def test_deep_nesting_is_refused_naming_where(supervisor, depth):
    nested = "[" * depth + "]" * depth
    body = f'{{"observations": [{{"status": 1, "observed_at": "2026-01-01T00:00:00", "payload": {{"a": {nested}}}}}]}}'
    answer = supervisor.post("/v1/ingest/douyin", content=body, headers={"content-type": "application/json"})
    found = refused(answer, 422, "$" if depth > 1000 else "observations[0].payload.a" + "[0]" * 28)
    assert "32" in found["detail"] and len(answer.content) < 2000


def test_nesting_a_record_needs_is_taken(supervisor):
    payload = {"a": {"b": {"c": {"d": [{"e": [1, 2]}]}}}}
    good = obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref("NEST"), payload=payload)
    assert supervisor.post("/v1/ingest/douyin", json={"observations": [good]}).json()["observations_new"] == 1


def test_a_megabyte_of_empty_objects_gets_a_small_answer(supervisor, hub):
    body = b'{"observations": [' + b",".join([b"{}"] * 350_000) + b"]}"  # ~1 MB
    answer = supervisor.post("/v1/ingest/douyin", content=body, headers={"content-type": "application/json"})
    found = refused(answer, 413, "$")
    assert found["containers"] == 350_002 and len(answer.content) < 1000
    fewer = b'{"observations": [' + b",".join([b"{}"] * 12_000) + b"]}"  # under the container cap, over the records'
    answer = supervisor.post("/v1/ingest/douyin", content=fewer, headers={"content-type": "application/json"})
    assert refused(answer, 413, "$")["records"] == 12_000 and len(answer.content) < 1000


def test_many_bad_records_are_summarised_and_all_kept_at_the_hub(supervisor):
    bad = [{"status": 1, "observed_at": "never", "order": {"waybill_no": f"W{i}"}} for i in range(500)]
    good = [obs("douyin", 105, "2026-01-24T15:00:00+08:00", ref(f"G{i}")) for i in range(3)]
    answer = supervisor.post("/v1/ingest/douyin", json={"observations": [*bad[:250], *good, *bad[250:]]})
    result = answer.json()
    assert answer.status_code == 200 and result["observations_new"] == 3  # the good ones went in
    assert result["refused_count"] == 500 and len(result["refused"]) == 20 and len(answer.content) < 20_000
    assert result["refused"][0]["errors"][0]["field"] == "observed_at"
    again = supervisor.post("/v1/ingest/douyin", json={"observations": bad[:10]}).json()  # sent again: kept once
    assert again["refused_count"] == 10
    kept, after = [], 0
    while True:
        page = supervisor.get("/v1/refused", params={"after": after, "limit": 200}).json()
        kept += page["refused"]
        if page["next"] is None:
            break
        after = page["next"]
    assert len(kept) == 500 and sorted(k["times"] for k in kept)[-10:] == [2] * 10
    first = next(k for k in kept if k["record"]["order"]["waybill_no"] == "W0")
    assert first["actor"] == "supervisor" and first["errors"][0]["message_zh"] and first["source"] == "douyin"


def test_values_are_echoed_cut_short(supervisor):
    long = "长" * 100_000
    result = supervisor.post("/v1/ingest/douyin", json={"orders": [order("CUT", channel=long)]}).json()
    [error] = [e for e in result["refused"][0]["errors"] if e["field"] == "channel"]
    assert error["value"].startswith("长长") and len(error["value"]) <= 201
    answer = supervisor.post("/v1/ingest/douyin", json={"orders": long})
    assert refused(answer, 422, "orders") and len(answer.content) < 1000
    answer = supervisor.post(
        "/v1/actions", json={"kind": long[:50_000], "order": "x"}, headers={"Idempotency-Key": "k" * 9}
    )
    assert answer.status_code == 422 and len(answer.content) < 3000 and answer.json()["error_count"] >= 1


def test_an_oversized_body_is_refused_from_its_content_length_before_it_is_read(supervisor, hub):
    host, port = hub.url.removeprefix("http://").split(":")
    token = supervisor.headers["Authorization"]
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST /v1/ingest/douyin HTTP/1.1\r\nHost: hub\r\nAuthorization: {token}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {1 << 30}\r\n\r\n".encode())  # fmt: skip
        answer = b""
        while b"}" not in answer:  # answered although not one byte of the gigabyte was sent
            answer += raw.recv(65536)
    head, _, body = answer.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 413") and json.loads(body)["field"] == "$" and "1,073,741,824" not in body


def test_a_streamed_body_is_cut_off_at_the_limit(supervisor):
    def chunks():
        yield b'{"observations": ["'
        for _ in range(9 * 1024):
            yield b"x" * 1024
        yield b'"]}'

    answer = supervisor.post("/v1/ingest/douyin", content=chunks(), headers={"content-type": "application/json"})
    assert refused(answer, 413, "$")["detail"].startswith("the body is larger than 8,388,608 bytes")
    small = supervisor.post("/v1/auth/token", content=b"{" + b" " * 300_000 + b"}")
    assert refused(small, 413, "$")


def test_an_unknown_source_is_refused_at_the_hub(supervisor):
    found = refused(supervisor.post("/v1/ingest/jd", json={"orders": [order("J1")]}), 404, "source")
    assert found["value"] == "jd" and "douyin" in found["detail"]


def test_empty_cursor_and_after_mean_from_the_start(supervisor):
    supervisor.post("/v1/ingest/douyin", json={"orders": [order("E1")]})
    assert len(supervisor.get("/v1/changes", params={"cursor": ""}).json()["changes"]) == 1
    assert len(supervisor.get("/v1/orders", params={"after": ""}).json()["orders"]) == 1


def test_the_openapi_document_declares_every_status_and_the_ingest_body(hub):
    document = httpx.get(f"{hub.url}/openapi.json").json()
    ingest = document["paths"]["/v1/ingest/{source}"]["post"]
    assert set(ingest["responses"]) == {"200", "400", "401", "403", "404", "413", "415", "422"}
    body = document["components"]["requestBodies"]["IngestBody"]["content"]
    assert set(body) == {"application/json", "application/x-www-form-urlencoded"}
    assert {"IngestBody", "Kuaidi100Push", "OrderRecord", "RefusalBody"} <= set(document["components"]["schemas"])
    token = document["paths"]["/v1/auth/token"]["post"]["responses"]
    assert {"401", "422", "429"} <= set(token) and "204" in document["paths"]["/v1/auth/logout"]["post"]["responses"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert "401" in operation["responses"] or path == "/v1/auth/token", (method, path)
