"""The monthly list pushed through Kingdee's own SDK to a local stand-in that records what it gets:
one BatchSave per form, every invoice and line there, money in yuan; a refusal names the form."""

from __future__ import annotations

import json
import random
from typing import Any

from fastapi import FastAPI, Request

from orderdesk.hub.demo import _uscc
from orderdesk.hub.server import LoopbackServer
from orderdesk.invoicing.kingdee_push import KingdeeAccount, KingdeeRefused, push
from orderdesk.invoicing.monthly_list import ListedInvoice, ListedLine

SHENZHEN_ID = _uscc(random.Random("深圳市南山智造有限公司"))  # a real-format taxpayer id, check character and all
INVOICES = [
    ListedInvoice("26330000000000000001", "2026-10-30", "pc", "杭州云帆科技有限公司", "91330100MA27U8Q10Y", False,
                  (ListedLine("服装", 2, 1300, 17699, 2301), ListedLine("鞋", 1, 1300, 8850, 1150))),
    ListedInvoice("26330000000000000002", "2026-10-31", "bs", "深圳市南山智造有限公司", SHENZHEN_ID, False,
                  (ListedLine("服装", 1, 1300, 8850, 1150),)),
    ListedInvoice("26330000000000000003", "2026-10-31", "pc", "杭州云帆科技有限公司", "91330100MA27U8Q10Y", True,
                  (ListedLine("鞋", -1, 1300, -8850, -1150),)),
]  # fmt: skip


def stand_in(refuse: bool = False) -> tuple[LoopbackServer, list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []
    app = FastAPI()

    @app.post("/k3cloud/{service}")
    async def service(service: str, request: Request) -> dict[str, Any]:
        body = json.loads(await request.body())
        received.append({"service": service, "body": body, "signed": "x-api-signature" in request.headers})
        models = body["data"]["Model"]
        if refuse:
            return {"Result": {"ResponseStatus": {"IsSuccess": False, "Errors": [{"Message": "客户不存在"}]}}}
        return {"Result": {"ResponseStatus": {"IsSuccess": True, "Errors": [],
                                              "SuccessEntitys": [{"Id": i, "Number": m["FINVOICENO"]} for i, m in enumerate(models)]}}}  # fmt: skip

    return LoopbackServer(app), received


def test_each_form_gets_its_invoices_through_the_sdk() -> None:
    server, received = stand_in()
    with server:
        saved = push(INVOICES, KingdeeAccount(server.url + "/k3cloud", "acct", "clerk", "app-id", "app-secret"))
    assert saved == {"IV_SALESOC": 2, "IV_SALESIC": 1}
    assert [r["service"] for r in received] == [
        "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc"
    ] * 2
    assert all(r["signed"] for r in received)  # the SDK signs every request
    ordinary = received[0]["body"]
    assert ordinary["formid"] == "IV_SALESOC"
    [blue, red] = ordinary["data"]["Model"]
    assert blue["FRedBlue"] == "0" and red["FRedBlue"] == "1" and red["FAFTERTOTALTAXFOR"] == "-100.00"
    assert [x["FALLAMOUNTFOR"] for x in blue["FSALESICENTRY"]] == ["200.00", "100.00"]


def test_a_refusal_names_the_form() -> None:
    server, _ = stand_in(refuse=True)
    with server:
        try:
            push(INVOICES, KingdeeAccount(server.url + "/k3cloud", "acct", "clerk", "app-id", "app-secret"))
        except KingdeeRefused as exc:
            assert exc.form == "IV_SALESOC" and "客户不存在" in str(exc)
        else:
            raise AssertionError("a refusal must raise")


def test_the_cli_pushes_the_caches_month(tmp_path, monkeypatch, capsys) -> None:
    from orderdesk.app.cli.main import main
    from orderdesk.sync.cache import Cache
    from orderdesk.sync.cache import invoices as cached

    body = {"order_no": "OD1", "state": "issued", "red_of": None, "month": "2026-10", "number": "26330000000000000001",
            "issued_at_ms": 1793400000000, "kind": "pc", "buyer": {"title": "杭州云帆科技有限公司", "taxpayer_id": "91330100MA27U8Q10Y"},
            "orders": ["DB20261027ABCDEFGHJKLM"], "total_fen": 2000, "tax_fen": 230, "updated_at_ms": 1,
            "lines": [{"goods_name": "服装", "quantity": 1, "rate_bp": 1300, "excluded_fen": 1770, "tax_fen": 230, "included_fen": 2000}]}  # fmt: skip
    with Cache(tmp_path / "c.sqlite3") as cache, cache.write() as c:
        cached.put(c, [body])
    assert main(["--cache", str(tmp_path / "c.sqlite3"), "invoices", "monthly-list", "2026-10", "--kingdee"]) == 2
    assert "ORDERDESK_KINGDEE_URL" in capsys.readouterr().err
    server, received = stand_in()
    with server:
        for name, value in (
            ("URL", server.url + "/k3cloud"),
            ("ACCT", "a"),
            ("USER", "u"),
            ("APP_ID", "i"),
            ("SECRET", "s"),
        ):
            monkeypatch.setenv(f"ORDERDESK_KINGDEE_{name}", value)
        code = main(
            ["--cache", str(tmp_path / "c.sqlite3"), "--json", "invoices", "monthly-list", "2026-10", "--kingdee"]
        )
    assert code == 0 and json.loads(capsys.readouterr().out)["kingdee"] == {"IV_SALESOC": 1}
    assert received[0]["body"]["data"]["Model"][0]["FINVOICENO"] == "26330000000000000001"
