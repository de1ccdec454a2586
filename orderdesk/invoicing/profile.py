"""The buyer's invoice profile and its checks: what a 数电普票 or 数电专票 needs, in words naming the field.

A 专票 (special VAT invoice) needs the buyer's name, taxpayer id, address + phone and bank + account,
and a company buyer; a 普票 needs a title, and a taxpayer id when the buyer is a company. The taxpayer
id is a unified social credit code (GB 32100-2015), checked with python-stdnum: an error names the
position and the character expected there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from orderdesk.sync.record_errors import RecordError, cut_value

# What the platform takes (诺诺's buyer fields; a user may find tighter limits on another platform).
LIMITS = {"title": 100, "address_phone": 100, "bank_account": 100, "email": 100}
_ACCOUNT = re.compile(r"^[0-9][0-9 -]{3,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


class InvoiceKind(StrEnum):
    ORDINARY = "pc"  # 数电普票 (诺诺 invoiceLine pc)
    SPECIAL = "bs"  # 数电专票 (诺诺 invoiceLine bs)


class BuyerType(StrEnum):
    PERSON = "person"
    COMPANY = "company"


KIND_LABELS = {
    InvoiceKind.ORDINARY: ("数电普票", "ordinary e-invoice"),
    InvoiceKind.SPECIAL: ("数电专票", "special VAT e-invoice"),
}


@dataclass(frozen=True, slots=True)
class BuyerProfile:
    kind: InvoiceKind
    buyer_type: BuyerType
    title: str  # the buyer's name as the invoice shows it
    taxpayer_id: str = ""
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""
    email: str = ""

    @property
    def grouping_key(self) -> str:
        """Whose invoices may be merged: a company by its taxpayer id, a person by the title."""
        return self.taxpayer_id if self.buyer_type is BuyerType.COMPANY and self.taxpayer_id else f"title:{self.title}"


def _error(field: str, value: object, *, en: str, zh: str) -> RecordError:
    return RecordError(field=field, value=cut_value(value), message=en, message_zh=zh)


def check_taxpayer_id(value: str, field: str = "invoice.taxpayer_id") -> list[RecordError]:
    """Errors for a unified social credit code, naming the position and the expected character."""
    code = value.strip().upper()
    try:
        uscc.validate(code)
        return []
    except InvalidLength:
        return [_error(field, value, en=f"a unified social credit code has 18 characters, this has {len(code)}",
                       zh=f"统一社会信用代码应为 18 位,这里有 {len(code)} 位")]  # fmt: skip
    except InvalidChecksum:
        expected = uscc.calc_check_digit(code[:17])
        return [_error(field, value, en=f"the check character (position 18) should be {expected!r}, not {code[17]!r}",
                       zh=f"第 18 位校验码应为 {expected},而不是 {code[17]}")]  # fmt: skip
    except (InvalidFormat, InvalidComponent, ValidationError):
        for position, character in enumerate(code, 1):
            if character not in USCC_ALPHABET or (position <= 8 and not character.isdigit()):
                return [_error(field, value,
                               en=f"position {position}: {character!r} cannot be there (the code uses 0-9 and A-Y "
                               "without I, O, S, V, Z; positions 1-8 are digits)",
                               zh=f"第 {position} 位 {character} 不合规(只用 0-9 与除 I、O、S、V、Z 外的大写字母;"
                               "第 1-8 位须为数字)")]  # fmt: skip
        return [_error(field, value, en="not a unified social credit code", zh="不是有效的统一社会信用代码")]


def check_profile(p: BuyerProfile) -> list[RecordError]:
    """Every reason this profile cannot be invoiced yet (empty: it can)."""
    errors: list[RecordError] = []
    special = p.kind is InvoiceKind.SPECIAL
    if not p.title.strip():
        errors.append(
            _error("invoice.title", p.title, en="the invoice needs the buyer's name (title)", zh="缺少发票抬头")
        )
    if len(p.title) > LIMITS["title"]:
        errors.append(_error("invoice.title", p.title, en=f"the title is longer than the platform takes ({LIMITS['title']} characters)",
                             zh=f"抬头超过开票平台允许的 {LIMITS['title']} 个字符"))  # fmt: skip
    if special and p.buyer_type is BuyerType.PERSON:
        errors.append(_error("invoice.kind", p.kind.value, en="a special VAT invoice (专票) is for a company, not a person",
                             zh="数电专票只能开给单位,不能开给个人"))  # fmt: skip
    needs_id = special or p.buyer_type is BuyerType.COMPANY
    if p.taxpayer_id.strip():
        errors += check_taxpayer_id(p.taxpayer_id)
    elif needs_id:
        errors.append(_error("invoice.taxpayer_id", "", en="a company's invoice needs its taxpayer id (统一社会信用代码)",
                             zh="单位发票需要纳税人识别号(统一社会信用代码)"))  # fmt: skip
    if special:
        for field, value, zh in (("invoice.address", p.address, "地址"), ("invoice.phone", p.phone, "电话"),
                                 ("invoice.bank", p.bank, "开户银行"), ("invoice.account", p.account, "银行账号")):  # fmt: skip
            if not value.strip():
                errors.append(_error(field, value, en=f"a special VAT invoice needs the buyer's {field.split('.')[1]}",
                                     zh=f"数电专票需要购买方{zh}"))  # fmt: skip
    if p.account.strip() and not _ACCOUNT.match(p.account.strip()):
        errors.append(_error("invoice.account", p.account, en="a bank account holds digits (spaces and - allowed), 4 to 40",
                             zh="银行账号只能是 4-40 位数字(可含空格和 -)"))  # fmt: skip
    if len(p.address) + len(p.phone) > LIMITS["address_phone"]:
        errors.append(_error("invoice.address", p.address,
                             en=f"address and phone together are longer than the platform takes ({LIMITS['address_phone']} characters)",
                             zh=f"地址与电话合计超过开票平台允许的 {LIMITS['address_phone']} 个字符"))  # fmt: skip
    if len(p.bank) + len(p.account) > LIMITS["bank_account"]:
        errors.append(_error("invoice.bank", p.bank, en=f"bank and account together are longer than the platform takes ({LIMITS['bank_account']} characters)",
                             zh=f"开户行与账号合计超过开票平台允许的 {LIMITS['bank_account']} 个字符"))  # fmt: skip
    if p.email.strip() and not _EMAIL.match(p.email.strip()):
        errors.append(_error("invoice.email", p.email, en="not an e-mail address", zh="不是有效的电子邮箱"))
    return errors
