"""The console's language: Chinese (zh_CN) by default, English selectable. Widgets write English
source strings through Qt's tr(); `resources/translations/orderdesk_zh_CN.ts` (compiled to .qm)
carries the Chinese; Qt's own `qtbase_zh_CN.qm` the words of standard dialogs (OK, Cancel). Text
that services already give in both languages is chosen with :func:`pick`."""

from __future__ import annotations

from typing import overload

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from orderdesk.sync.resources import RESOURCES
from orderdesk.sync.said import Said

TRANSLATIONS = RESOURCES / "translations"
_language = "zh_CN"
_installed: list[QTranslator] = []


def install(language: str) -> str:
    """Load the translation for ``language`` (zh_CN or en) into the running application."""
    global _language
    _language = "en" if language.lower().startswith("en") else "zh_CN"
    app = QCoreApplication.instance()
    assert app is not None
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if _language == "zh_CN":
        translator = QTranslator(app)
        if not translator.load(str(TRANSLATIONS / "orderdesk_zh_CN.qm")):
            raise FileNotFoundError(TRANSLATIONS / "orderdesk_zh_CN.qm")
        app.installTranslator(translator)
        _installed.append(translator)
        qt_own = QTranslator(app)  # Qt's own words: OK, Cancel, Yes, the calendar, the context menus
        if qt_own.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return _language


def language() -> str:
    return _language


@overload
def pick(said: Said | None, /) -> str: ...
@overload
def pick(zh: str | None, en: str | None, /) -> str: ...
def pick(zh: Said | str | None, en: str | None = None, /) -> str:
    """What a service says, in the console's language: ``pick(said)`` for a :class:`Said` (an error's
    ``exc.said``; None says nothing), ``pick(zh, en)`` for a label table's pair."""
    if isinstance(zh, Said):
        return zh.text(_language)
    return (en if _language == "en" else zh) or en or zh or ""
