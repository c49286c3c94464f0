"""The Jinja environment of the pages: autoescaped, translated per request, with layout helpers.

Templates live in ``templates/pages``. Every template receives ``request`` and ``csrf_input``
from Litestar; the helpers below read the language and the signed-in account from ``request``,
so a handler passes only its own data.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2 import Template as JinjaTemplate
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from tka_registry.accounts.roles import Actor
from tka_registry.rules.calendar import JAKARTA
from tka_registry.rules.nationality import nationality_name
from tka_registry.web.i18n import LANGUAGE_NAMES, LANGUAGES, language_of, translations
from tka_registry.web.layout import OFFICE_NAME, home_path, nav_links

PAGES_DIR = Path(__file__).resolve().parents[2] / "templates" / "pages"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


# The request a page is rendered for. Macros imported without context ({% from ... import %})
# cannot see ``request``; they read it here, so their text is in the page's language too.
_RENDERING: ContextVar[Request[Any, Any, Any] | None] = ContextVar("rendering", default=None)


def _request(context: Context) -> Request[Any, Any, Any] | None:
    return context.get("request") or _RENDERING.get()


def _language(context: Context) -> str:
    request = _request(context)
    return language_of(request) if request is not None else LANGUAGES[0]


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return translations(_language(context)).ngettext(singular, plural, count)


@pass_context
def page_language(context: Context) -> str:
    return _language(context)


@pass_context
def current_actor(context: Context) -> Actor | None:
    request = _request(context)
    return request.scope.get("user") if request is not None else None


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
    active = _language(context)
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


@pass_context
def as_date(context: Context, value: date | datetime | None, style: str = "d MMMM y") -> str:
    """A date in the page's language, e.g. ``22 November 2026``; datetimes shown in WIB."""
    if value is None:
        return "–"
    language = _language(context)
    if isinstance(value, datetime):
        return format_datetime(value, f"{style} HH:mm", tzinfo=JAKARTA, locale=language) + " WIB"
    return format_date(value, style, locale=language)


@pass_context
def as_number(context: Context, value: int | float) -> str:
    return format_decimal(value, locale=_language(context))


@pass_context
def country_name(context: Context, code: str) -> str:
    return nationality_name(code, _language(context))


def page_environment() -> Environment:
    """The one Jinja environment of the pages."""
    environment = Environment(
        loader=FileSystemLoader(PAGES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    environment.globals.update(
        office_name=OFFICE_NAME,
        page_language=page_language,
        current_actor=current_actor,
        current_path=current_path,
        language_links=language_links,
        nav_links=nav_links,
        home_path=home_path,
        query_with=query_with,
    )
    environment.filters.update(date=as_date, number=as_number, country=country_name)
    return environment


class _PageTemplate:
    """A Jinja template that makes its request known to imported macros while it renders."""

    def __init__(self, template: JinjaTemplate) -> None:
        self.template = template

    def render(self, *args: Any, **context: Any) -> str:
        token = _RENDERING.set(context.get("request"))
        try:
            return self.template.render(*args, **context)
        finally:
            _RENDERING.reset(token)


class PageTemplateEngine(JinjaTemplateEngine):
    def get_template(self, template_name: str) -> Any:
        return _PageTemplate(super().get_template(template_name))


def template_config() -> TemplateConfig[PageTemplateEngine]:
    engine = PageTemplateEngine(directory=None, engine_instance=page_environment())
    return TemplateConfig(engine=engine)
