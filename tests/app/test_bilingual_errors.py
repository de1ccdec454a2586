"""Every error a person may be told about carries what to say in both languages: each subclass of
BilingualError anywhere in the code base is built here and checked (a new one must be added below),
its Chinese and English are given by name, and no other exception class keeps a Chinese text of its own."""

from __future__ import annotations

import ast
import importlib
import inspect
import pickle
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import orderdesk
from orderdesk.app.services.settings import SettingRefused
from orderdesk.hub.auth import TokenRefused
from orderdesk.hub.refusals import Refusal
from orderdesk.hub.secret import SecretError
from orderdesk.insights.bi_files import BiExportError
from orderdesk.inventory.fastpath import FastPathUnavailable
from orderdesk.inventory.ledger import InventoryRefused
from orderdesk.invoicing.red_letter import RedLetterRefused
from orderdesk.invoicing.states import InvalidMove, InvoiceState
from orderdesk.printing.errors import (
    LabelIncomplete,
    PrinterMisconfigured,
    PrinterSettingRefused,
    PrinterUnreachable,
    PrintingError,
)
from orderdesk.sync.cache.trouble import CacheUnusable, RecoveryError
from orderdesk.sync.client import CursorGone, HubError
from orderdesk.sync.credentials import CredentialsError
from orderdesk.sync.errors import BilingualError
from orderdesk.sync.record_errors import Invalid
from orderdesk.sync.said import Said

PACKAGE = Path(orderdesk.__file__).parent
ZH, EN = "订单 DB1 缺少运单号", "order DB1 has no waybill no."
CJK = re.compile(r"[\u3400-\u9fff]")

# One way to build each error; ``zh`` and ``en`` are what a caller passes, where the class takes them.
BUILT: dict[type[BilingualError], Callable[[Path], BilingualError]] = {
    BilingualError: lambda _: BilingualError(zh=ZH, en=EN),
    PrintingError: lambda _: PrintingError(zh=ZH, en=EN),
    PrinterUnreachable: lambda _: PrinterUnreachable(zh=ZH, en=EN),
    PrinterMisconfigured: lambda _: PrinterMisconfigured(zh=ZH, en=EN),
    PrinterSettingRefused: lambda _: PrinterSettingRefused("port", 70000, zh=ZH, en=EN),
    LabelIncomplete: lambda _: LabelIncomplete("DB1", ["waybill_no"], job_id=7),
    CredentialsError: lambda _: CredentialsError(zh=ZH, en=EN),
    HubError: lambda _: HubError(zh=ZH, en=EN, status=409, field="order"),
    CursorGone: lambda _: CursorGone(zh=ZH, en=EN, status=410, field="cursor"),
    Invalid: lambda _: Invalid(zh=ZH, en=EN),
    CacheUnusable: lambda tmp: CacheUnusable("damaged", tmp / "cache.sqlite3", what_zh=ZH, what_en=EN, detail="x"),
    RecoveryError: lambda _: RecoveryError(zh=ZH, en=EN, code=3),
    Refusal: lambda _: Refusal(422, zh=ZH, en=EN, field="lines", value=3, headers={"Retry-After": "1"}),
    TokenRefused: lambda _: TokenRefused(zh=ZH, en=EN),
    SecretError: lambda _: SecretError(zh=ZH, en=EN),
    InventoryRefused: lambda _: InventoryRefused("quantity", 5, zh=ZH, en=EN, kind="insufficient"),
    FastPathUnavailable: lambda _: FastPathUnavailable(zh=ZH, en=EN),
    InvalidMove: lambda _: InvalidMove(InvoiceState.ISSUED, InvoiceState.READY),
    RedLetterRefused: lambda _: RedLetterRefused("line_no", 3, zh=ZH, en=EN),
    SettingRefused: lambda _: SettingRefused("hub_url", "ftp://x", zh=ZH, en=EN),
    BiExportError: lambda _: BiExportError(zh=ZH, en=EN, field="--out", value="x"),
}


def _modules() -> Iterator[str]:
    for found in pkgutil.walk_packages(orderdesk.__path__, "orderdesk."):
        if ".migrations" not in found.name:
            yield found.name


def _subclasses(kind: type) -> set[type]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_bilingual_error_in_the_code_base_is_built_here() -> None:
    for name in _modules():
        importlib.import_module(name)
    missing = {f"{k.__module__}.{k.__qualname__}" for k in _subclasses(BilingualError) if k not in BUILT}
    assert not missing, f"add a way to build these to BUILT: {sorted(missing)}"


@pytest.mark.parametrize("kind", list(BUILT), ids=lambda k: k.__name__)
def test_each_carries_both_languages_given_by_name(kind: type[BilingualError], tmp_path: Path) -> None:
    error = BUILT[kind](tmp_path)
    said = error.said
    assert type(error) is kind and isinstance(said, Said)
    assert said.zh and said.en and said.zh != said.en and CJK.search(said.zh) and not CJK.search(said.en)
    assert (error.zh, error.en) == (said.zh, said.en) and said.en in str(error)
    for name, parameter in inspect.signature(kind.__init__).parameters.items():
        if name in ("zh", "en") or name.endswith(("_zh", "_en")):
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{kind.__name__}({name}) by position"


@pytest.mark.parametrize("kind", list(BUILT), ids=lambda k: k.__name__)
def test_each_crosses_a_process_boundary_intact(kind: type[BilingualError], tmp_path: Path) -> None:
    error = BUILT[kind](tmp_path)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is kind and back.said == error.said and str(back) == str(error)
    assert vars(back) == vars(error)  # field, value, status, kind, code…: whatever the class keeps


def test_a_red_letter_refusal_has_its_english_too() -> None:  # the console says pick(exc.said): no AttributeError
    error = RedLetterRefused("refund_fen", 15000, en="line 1 has ¥100.00 left", zh="第 1 行仅剩 ¥100.00")
    assert (error.said.en, error.said.zh, error.field, error.value) == ("line 1 has ¥100.00 left", "第 1 行仅剩 ¥100.00",
                                                                          "refund_fen", 15000)  # fmt: skip


# Functions that still take Chinese and English side by side by position, and why that is safe:
# the label pickers take a label table's (zh, en) pair (``pick(*LABELS[x])``); the others pass both
# straight on to one of them in the same order.
POSITIONAL_PAIRS = {
    ("app/i18n.py", "tr"),  # tr(zh, en): the CLI's words written where they are said
    ("app/ui/i18n.py", "pick"),  # pick(zh, en): a label table's pair
    ("app/cli/inventory_cmd.py", "leaf"),  # a sub-command's help: tr(zh, en)
    ("app/cli/inventory_cmd.py", "_hold"),  # a hold's line: tr(...zh..., ...en...)
    ("insights/bi_schema.py", "_c"),  # a BI column's description, kept as (zh, en) in the schema
    ("sync/anomaly_text.py", "_state"),  # zh is a flag (which language), not a text
}


def _positional_pairs() -> Iterator[tuple[str, str, int]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if any(n in ("zh", "en") or n.endswith(("_zh", "_en")) for n in names):
                    yield path.relative_to(PACKAGE).as_posix(), node.name, node.lineno


def test_no_function_takes_chinese_and_english_by_position_but_the_label_pickers() -> None:
    found = {(path, name): line for path, name, line in _positional_pairs()}
    unexpected = {
        f"{path}:{line} {name}" for (path, name), line in found.items() if (path, name) not in POSITIONAL_PAIRS
    }
    assert not unexpected, f"take zh= and en= by name (keyword-only): {sorted(unexpected)}"
    assert set(found) == POSITIONAL_PAIRS  # an entry above that no longer exists goes too


def test_no_other_exception_keeps_a_chinese_text_of_its_own() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(b) for b in node.bases}
            exception_like = any(b.endswith(("Error", "Exception", "Refused", "Refusal")) for b in bases)
            if not exception_like or "BilingualError" in bases:
                continue
            for inner in ast.walk(node):
                targets = inner.targets if isinstance(inner, ast.Assign) else []
                for target in targets:
                    for leaf in ast.walk(target):
                        if (
                            isinstance(leaf, ast.Attribute)
                            and leaf.attr in ("zh", "en")
                            and ast.unparse(leaf.value) == "self"
                        ):
                            offenders.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert not offenders, f"derive these from BilingualError: {offenders}"
