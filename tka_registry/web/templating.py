"""The Jinja environments of the pages: autoescaped, one per language, with layout helpers.

Templates live in ``templates/pages``. Every template receives ``request`` and ``csrf_input``
from Litestar. A page's language is read once from ``request`` and picks the environment whose
``_``, ``ngettext`` and formatting filters are bound to that language (no per-call look-up:
in a table of rows that dominated a page's CPU); the helpers below read the signed-in account
and the path from ``request``, so a handler passes only its own data.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from tka_registry import formats
from tka_registry.accounts.roles import Actor
from tka_registry.choices import in_language
from tka_registry.folders import TEMPLATES_DIR
from tka_registry.rules.calendar import JAKARTA
from tka_registry.rules.nationality import nationality_name
from tka_registry.web.i18n import LANGUAGE_NAMES, LANGUAGES, language_of, translations
from tka_registry.web.layout import OFFICE_NAME, home_path, nav_links

PAGES_DIR = TEMPLATES_DIR / "pages"


# The request a page is rendered for. Macros imported without context ({% from ... import %})
# cannot see ``request``; they read it here, so their text is in the page's language too.
_RENDERING: ContextVar[Request[Any, Any, Any] | None] = ContextVar("rendering", default=None)


def _request(context: Context) -> Request[Any, Any, Any] | None:
    return context.get("request") or _RENDERING.get()


MAX_REMEMBERED = 10_000


class PageText:
    """The translated text of one language, bound once: ``_()``/``gettext`` and ``ngettext``.

    A message without values is looked up once per process and answered as it is (no
    formatting); values are escaped into the translation like Jinja's newstyle gettext does.
    Translations themselves are trusted markup, as with ``install_gettext_callables``.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalogue = translations(language)
        self._plain: dict[str, Markup] = {}

    def gettext(self, message: str, **values: Any) -> Markup:
        text = self._plain.get(message)
        if text is None:
            text = Markup(self.catalogue.gettext(message))  # noqa: S704
            if len(self._plain) < MAX_REMEMBERED:  # message ids are the code's, but be safe
                self._plain[message] = text
        return _filled(text, values) if values else text

    def ngettext(self, singular: str, plural: str, num: int, **values: Any) -> Markup:
        values.setdefault("num", num)
        return _filled(Markup(self.catalogue.ngettext(singular, plural, num)), values)  # noqa: S704


def _filled(text: Markup, values: dict[str, Any]) -> Markup:
    # Whole numbers need no escaping: format them as plain text, the costly path for the rest.
    if all(type(value) is int for value in values.values()):
        return Markup(str.__mod__(text, values))  # noqa: S704
    return text % values


def page_globals(language: str) -> dict[str, Any]:
    """Everything a page's templates name that depends on its language, bound to it."""
    text = PageText(language)
    return {
        "_": text.gettext,
        "gettext": text.gettext,
        "ngettext": text.ngettext,
        "page_language": lambda: language,
        "choices": in_language(language),
    }


def page_filters(language: str) -> dict[str, Any]:
    """The formatting filters of one language: dates, numbers and country names."""
    locale = Locale.parse(language)

    def as_date(value: date | datetime | None, style: str = "d MMMM y") -> str:
        """A date in the page's language, e.g. ``22 November 2026``; datetimes shown in WIB."""
        if value is None:
            return "–"
        if isinstance(value, datetime):
            return format_datetime(value, f"{style} HH:mm", tzinfo=JAKARTA, locale=locale) + " WIB"
        return format_date(value, style, locale=locale)

    def as_number(value: int | float) -> str:
        return formats.number(value, language)

    def as_month(key: str | date) -> str:
        return formats.month(key, language)

    def country_name(code: str) -> str:
        return nationality_name(code, language)

    return {"date": as_date, "number": as_number, "month": as_month, "country": country_name}


@pass_context
def current_actor(context: Context) -> Actor | None:
    request = _request(context)
    return request.scope.get("user") if request is not None else None


@pass_context
def visa_index_name(context: Context, code: str) -> str:
    """The name of visa index ``code`` in the page's language, e.g. "Bekerja - industri" for
    E23C; empty for a code not on record."""
    request = _request(context)
    names = request.app.state.get("visa_index_names", {}) if request is not None else {}
    pair = names.get(code)
    if pair is None:
        return ""
    return str(pair[0] if context.resolve("page_language")() == "id" else pair[1])


@pass_context
def current_path(context: Context) -> str:
    """The path and query of this page, to come back to after a language switch."""
    request = _request(context)
    if request is None:
        return "/"
    query = request.scope.get("query_string", b"").decode("latin-1")
    return request.url.path + (f"?{query}" if query else "")


@pass_context
def language_links(context: Context) -> list[dict[str, Any]]:
    """One link per language, each returning to this page."""
    here = current_path(context)
    active = context.resolve("page_language")()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "href": f"/bahasa/{code}?{urlencode({'next': here})}",
            "active": code == active,
        }
        for code in LANGUAGES
    ]


@pass_context
def query_with(context: Context, **changes: Any) -> str:
    """This page's query string with ``changes`` applied (``None`` removes a key)."""
    request = _request(context)
    values = dict(request.query_params) if request is not None else {}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = str(value)
    return "?" + urlencode(values) if values else "?"


def page_environment(language: str = LANGUAGES[0]) -> Environment:
    """A Jinja environment of the pages in ``language``."""
    environment = Environment(
        loader=FileSystemLoader(PAGES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        office_name=OFFICE_NAME,
        current_actor=current_actor,
        current_path=current_path,
        language_links=language_links,
        nav_links=nav_links,
        home_path=home_path,
        query_with=query_with,
        visa_index_name=visa_index_name,
        **page_globals(language),
    )
    environment.filters.update(page_filters(language))
    return environment


def language_environment(base: Environment, language: str) -> Environment:
    """``base`` (its loader, options and the globals Litestar registered) bound to ``language``,
    with templates compiled for it alone, so no call inside a page looks the language up."""
    overlay = base.overlay(cache_size=400)
    overlay.globals = {**base.globals, **page_globals(language)}
    overlay.filters = {**base.filters, **page_filters(language)}
    return overlay


class _PageTemplate:
    """A page template rendered in its request's language (read once, from the request), which
    it also makes known to imported macros while it renders."""

    def __init__(self, engine: PageTemplateEngine, name: str) -> None:
        self.engine = engine
        self.name = name

    def render(self, *args: Any, **context: Any) -> str:
        request = context.get("request")
        language = language_of(request) if request is not None else LANGUAGES[0]
        template = self.engine.environment(language).get_template(self.name)
        token = _RENDERING.set(request)
        try:
            return template.render(*args, **context)
        finally:
            _RENDERING.reset(token)


class PageTemplateEngine(JinjaTemplateEngine):
    """Litestar's Jinja engine with one environment per page language."""

    def __init__(self) -> None:
        super().__init__(directory=None, engine_instance=page_environment())
        self._languages: dict[str, Environment] = {}

    def environment(self, language: str) -> Environment:
        environment = self._languages.get(language)
        if environment is None:
            environment = language_environment(self.engine, language)
            self._languages[language] = environment
        return environment

    def get_template(self, template_name: str) -> Any:
        super().get_template(template_name)  # unknown names fail here, as Litestar expects
        return _PageTemplate(self, template_name)


def template_config() -> TemplateConfig[PageTemplateEngine]:
    return TemplateConfig(engine=PageTemplateEngine())
