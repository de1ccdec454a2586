"""Schemathesis fuzzes the hub from its own OpenAPI document: whatever it sends, no server error, and
every answer is one the document declares (status code, content type, body schema, headers).

(The schema is loaded at import from an app over a temporary SQLite file: schemathesis 4.32's
``pytest.from_fixture`` does not work with pytest 9.)"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from orderdesk.hub.api import create_app
from orderdesk.hub.auth import TokenAuthority
from orderdesk.hub.secret import random_secret
from orderdesk.hub.store import HubStore
from orderdesk.sync.contract import OrderRecord
from tests.conftest import order

_folder = Path(tempfile.mkdtemp(prefix="orderdesk-fuzz-"))
_store = HubStore(f"sqlite:///{_folder / 'fuzz.sqlite3'}")
_store.ensure_demo_users()
with _store.write() as _c:
    _store.put_orders(_c, [OrderRecord.model_validate(order("FUZZ1"))])
_secret = random_secret()
_token = TokenAuthority(_secret, _store.epoch).issue("supervisor").text
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_store, secret=_secret))


def teardown_module() -> None:
    _store.close()
    shutil.rmtree(_folder, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_hub_fail(case):
    response = case.call(headers={"Authorization": f"Bearer {_token}"})
    assert response.status_code < 500, f"{case.method} {case.path} -> {response.status_code}: {response.text[:300]}"
    case.validate_response(response)  # every status declared, every answer as the document says
