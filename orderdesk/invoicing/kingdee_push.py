"""The monthly list pushed straight into Kingdee 云星空 through Kingdee's official Python WebAPI SDK
(PyPI ``kingdee-cdp-webapi-sdk``, ``k3cloud_webapi_sdk.main.K3CloudApiSdk``): one ``BatchSave`` per form
(普票 IV_SALESOC, 专票 IV_SALESIC), each invoice a model with its lines under FSALESICENTRY, the same
field keys as the XLSX layout. Optional: without the SDK installed it says how to install it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orderdesk.invoicing.amounts import yuan_text
from orderdesk.invoicing.monthly_list import ListedInvoice, layout


@dataclass(frozen=True, slots=True)
class KingdeeAccount:
    server_url: str  # e.g. https://your-tenant.ik3cloud.com/k3cloud
    acct_id: str
    user_name: str
    app_id: str
    app_secret: str
    lcid: int = 2052


class KingdeeRefused(Exception):
    def __init__(self, form: str, errors: list[Any]) -> None:
        super().__init__(f"Kingdee refused the {form} batch: {json.dumps(errors, ensure_ascii=False)[:500]}")
        self.form, self.errors = form, errors


def model(invoice: ListedInvoice) -> dict[str, Any]:
    return {
        "FDATE": invoice.date, "FINVOICENO": invoice.number, "FINVOICEDATE": invoice.date,
        "FCUSTOMERID": {"FName": invoice.customer}, "FTAXREGISTERCODE": invoice.taxpayer_id,
        "FRedBlue": "1" if invoice.red else "0", "FTAXAMOUNTFOR": yuan_text(invoice.tax_fen),
        "FAFTERTOTALTAXFOR": yuan_text(invoice.total_fen),
        "FSALESICENTRY": [{"FMATERIALID": {"FName": line.goods_name}, "FPRICEQTY": line.quantity,
                           "FTAXRATE": f"{line.rate_bp / 100:g}", "FAMOUNTFOR": yuan_text(line.excluded_fen),
                           "FDETAILTAXAMOUNTFOR": yuan_text(line.tax_fen), "FALLAMOUNTFOR": yuan_text(line.included_fen)}
                          for line in invoice.lines],
    }  # fmt: skip


def push(invoices: Sequence[ListedInvoice], account: KingdeeAccount, *, batch: int = 500) -> dict[str, int]:
    """BatchSave every invoice into its form; saved models per form. KingdeeRefused names the form."""
    try:
        from k3cloud_webapi_sdk.main import K3CloudApiSdk
    except ImportError as exc:
        raise RuntimeError("the Kingdee push needs Kingdee's SDK: pip install 'orderdesk[kingdee]'") from exc
    sdk = K3CloudApiSdk(account.server_url)
    sdk.InitConfig(account.acct_id, account.user_name, account.app_id, account.app_secret, account.server_url,
                   account.lcid)  # fmt: skip
    saved: dict[str, int] = {}
    for kind, form in layout()["forms"].items():
        mine = [model(i) for i in invoices if i.kind == kind]
        for start in range(0, len(mine), batch):
            answer = json.loads(sdk.BatchSave(form, {"NeedUpDateFields": [], "IsAutoSubmitAndAudit": False,
                                                     "Model": mine[start : start + batch]}))  # fmt: skip
            status = answer.get("Result", {}).get("ResponseStatus", {})
            if not status.get("IsSuccess"):
                raise KingdeeRefused(form, status.get("Errors", []))
            saved[form] = saved.get(form, 0) + len(status.get("SuccessEntitys", []))
    return saved
