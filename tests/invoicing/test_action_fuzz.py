"""Whatever a console sends as an invoicing action's payload — real invoice numbers or junk, buyer
fields of any text, red-letter lines of any shape — the hub answers 200 or a refusal naming a field
(404, 409, 422), never a server error; and the 诺诺 adapter, whatever a platform answers, returns a
result or raises PlatformUnavailable / PlatformRefused, nothing else."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.invoicing.platform.adapter import PlatformRefused, PlatformUnavailable
from orderdesk.invoicing.platform.nuonuo import NuonuoPlatform
from tests.invoicing.hub_fixture import Invoicing, invoicing_setup

KINDS = ["invoice_fix", "invoice_confirm", "invoice_split", "invoice_retry", "invoice_red", "red_invoice_request",
         "month_lock", "invoice_merge"]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.text(max_size=40),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
                      max_leaves=6)  # fmt: skip
BUYER_KEYS = ["kind", "buyer_type", "title", "taxpayer_id", "address", "phone", "bank", "account", "email", "x"]
_keys = itertools.count()


@pytest.fixture(scope="module")
def inv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Invoicing]:
    setup = invoicing_setup(tmp_path_factory.mktemp("fuzz"))
    found = next(setup)
    found.signed_order("DD-Z1")
    found.signed_order("DD-Z2", invoice={"kind": "bs", "buyer_type": "person", "title": "张伟"})
    found.invoicer.until_quiet()
    yield found
    setup.close()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(KINDS), data=st.data())
def test_no_invoice_action_payload_makes_the_hub_fail(inv: Invoicing, kind: str, data: st.DataObject) -> None:
    numbers = [b["order_no"] for b in inv.clerk.get("/v1/invoices").json()["invoices"]]
    payload: dict[str, Any] = {
        "invoice": data.draw(st.sampled_from(numbers) | values),
        "buyer": data.draw(st.dictionaries(st.sampled_from(BUYER_KEYS), values, max_size=4) | values),
        "lines": data.draw(st.dictionaries(st.text(max_size=4), values, max_size=3) | values),
        "reason": data.draw(st.sampled_from(["01", "02", "03", "04"]) | values),
        "order": data.draw(values),
        "month": data.draw(st.sampled_from(["2026-10", "2026-13"]) | values),
        "invoices": data.draw(st.lists(st.sampled_from(numbers) | values, max_size=3) | values),
    }
    payload = {k: v for k, v in payload.items() if data.draw(st.booleans())}
    answer = inv.act(kind, f"fuzz-{next(_keys)}", **payload)
    assert answer.status_code in (200, 404, 409, 422), answer.text
    if answer.status_code != 200:
        assert answer.json().get("detail_zh") and "field" in answer.json()


def _platform(answer: httpx.Response) -> NuonuoPlatform:
    transport = httpx.MockTransport(lambda request: answer)
    return NuonuoPlatform("http://platform", app_key="k", app_secret="s", tax_num="91330100MA27U8Q10Y",
                          client=httpx.Client(transport=transport))  # fmt: skip


bodies = st.one_of(st.binary(max_size=200), values.map(lambda v: json.dumps(v).encode()),
                   st.fixed_dictionaries({"code": st.sampled_from(["E0000", "E9106", "E9999"]) | values,
                                          "result": values}).map(lambda v: json.dumps(v).encode()))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(status=st.sampled_from([200, 200, 200, 400, 500, 502]), body=bodies)
def test_no_platform_answer_makes_the_adapter_fail(status: int, body: bytes) -> None:
    from orderdesk.invoicing.platform.adapter import BillingRequest
    from orderdesk.invoicing.profile import BuyerProfile, BuyerType, InvoiceKind

    platform = _platform(httpx.Response(status, content=body))
    buyer = BuyerProfile(InvoiceKind.ORDINARY, BuyerType.PERSON, "张伟")
    for call in (lambda: platform.submit(BillingRequest("OD1", buyer, [])), lambda: platform.query(["OD1", "OD2"]),
                 lambda: platform.reissue("OD1"), lambda: platform.download("http://platform/files/1.pdf")):  # fmt: skip
        with contextlib.suppress(PlatformUnavailable, PlatformRefused):
            call()
