"""The unified order id: DB + yyyymmdd + 12 characters, fresh every time."""

from __future__ import annotations

from orderdesk.sync.domain_id import is_domain_id, new_domain_id_for_day


def test_fresh_ids_are_well_formed_and_never_repeat():
    ids = {new_domain_id_for_day("20260124") for _ in range(20_000)}
    assert len(ids) == 20_000
    assert all(is_domain_id(i) and i.startswith("DB20260124") and len(i) == 22 for i in ids)
    assert not any(c in i[10:] for i in ids for c in "IO")


def test_malformed_ids_are_recognised():
    for bad in (
        "DB20260124ABCDEFGHJKL",
        "DB20261324ABCDEFGHJKLM",
        "XX20260124ABCDEFGHJKLM",
        "DB20260124ABCDEFGHIJKL",
        "",
    ):
        assert not is_domain_id(bad), bad
