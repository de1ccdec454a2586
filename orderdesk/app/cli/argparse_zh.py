"""argparse's own words (usage, errors, the help option) in Chinese when the CLI speaks Chinese.

argparse asks ``gettext`` for each message when it is shown, through its module's ``_`` and
``ngettext`` (Lib/argparse.py); giving it ours for the messages a user meets is what a message catalog
would do, without shipping one for the standard library."""

from __future__ import annotations

import argparse
import gettext

ZH: dict[str, str] = {
    "usage: ": "用法:",
    "%(prog)s: error: %(message)s\n": "%(prog)s:错误:%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "the following arguments are required: %s": "缺少必需的参数:%s",
    "unrecognized arguments: %s": "无法识别的参数:%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项:%(value)r(可选:%(choices)s)",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值:%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "one of the arguments %s is required": "需要以下参数之一:%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确:%(option)s 可以是 %(matches)s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "unexpected option string: %s": "意外的选项:%s",
    "show this help message and exit": "显示本帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
}


def speak(chinese: bool) -> None:
    """Have argparse speak Chinese (or its own English again)."""
    if chinese:
        argparse._ = lambda message: ZH.get(message, message)  # type: ignore[attr-defined]  # argparse finds its words through these globals; typeshed lists neither
        argparse.ngettext = lambda one, many, n: ZH.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]  # argparse finds its words through these globals; typeshed lists neither
    else:
        argparse._ = gettext.gettext  # type: ignore[attr-defined]  # argparse finds its words through these globals; typeshed lists neither
        argparse.ngettext = gettext.ngettext  # type: ignore[attr-defined]  # argparse finds its words through these globals; typeshed lists neither
