"""Server-rendered pages: templating, languages, sign-in, CSRF, layout and error pages.

How to add a page (e.g. for a business area ``applications``)
------------------------------------------------------------
1. Controller in ``tka_registry/<area>/web.py``; return ``litestar.response.Template``::

       from litestar import Controller, Request, get, post
       from litestar.params import FromPath
       from litestar.response import Redirect, Template
       from litestar.status_codes import HTTP_303_SEE_OTHER
       from tka_registry.accounts.auth import access
       from tka_registry.accounts.roles import Role
       from tka_registry.dependencies import CurrentActor, Now, SettingsDep, Today
       from tka_registry.web.forms import FormErrors, domain_problems, form_values
       from tka_registry.web.forms import validation_problems
       from tka_registry.web.i18n import language_of, translator

       class ApplicationPages(Controller):
           path = "/portal/permohonan"
           include_in_schema = False

           @get("/{case_id:int}", opt=access(Role.EMPLOYER))
           async def show(self, case_id: FromPath[int], actor: CurrentActor) -> Template:
               case = await service.get(actor, case_id)  # NotFound -> HTML 404 page
               return Template(template_name="applications/case.html", context={"case": case})

           @post("/", opt=access(Role.EMPLOYER))
           async def create(self, request: Request, actor: CurrentActor, now: Now):
               _ = translator(request)                 # _("English msgid", name=value)
               values = await form_values(request)     # dict[str, str], trimmed, no CSRF
               try:
                   model = ApplicationForm.model_validate(values)
                   ...service call...
               except ValidationError as error:
                   errors = validation_problems(error, _)   # {field: translated message}
               except DomainError as error:
                   errors = domain_problems(error)
               else:
                   return Redirect(f"/portal/permohonan/{new_id}", status_code=HTTP_303_SEE_OTHER)
               return Template(template_name="applications/form.html",
                               context={"values": values, "errors": errors}, status_code=400)

   Never take a form as a typed ``data`` parameter (Litestar would answer JSON 400); read it with
   ``form_values`` (``await request.form()`` for uploads). Post/redirect/get with 303.
   Every handler declares ``opt=access(...)``; an anonymous visitor is redirected (303) to
   ``/masuk?next=...`` automatically; ``NotFound``/``Refused`` raised by a service become HTML
   404/403 pages on page paths (JSON stays JSON under ``/api/``).
2. Register the controller in ``ROUTE_HANDLERS`` in ``tka_registry/app.py``; add a navigation
   entry to ``NAVIGATION`` in ``tka_registry/web/layout.py`` (``(path, N_("Label"))``).
3. Template ``templates/pages/<area>/<name>.html``::

       {% extends "base.html" %}
       {% from "_macros.html" import error_summary, field, textarea, select, date_field,
          button, back_link, status_tag %}
       {% block title %}{{ _("Applications") }}{% endblock %}
       {% block content %}
         {{ error_summary(errors) }}
         <h1 class="heading-l">{{ _("New application") }}</h1>
         <form method="post" action="/portal/permohonan/" novalidate>
           {{ csrf_input | safe }}
           {{ field("passport_number", _("Passport number"), values, errors,
                    hint=_("As printed on the data page")) }}
           {{ button(_("Save draft")) }}
         </form>
       {% endblock %}

   Forms need ``{{ csrf_input | safe }}`` (a POST without it answers 403). Uploads:
   ``enctype="multipart/form-data"`` with ``file_field(...)``. Field ids equal field names, so
   the error summary links ``#name`` to the field.
   In templates: ``_("msgid")``, ``_("Hello %(name)s", name=x)``, filters ``|date``
   (22 November 2026 in the page language, datetimes in WIB), ``|number``, ``|country`` (ISO
   code to name); ``current_actor()`` (an :class:`Actor` or None), ``page_language()``.
4. Strings: English message ids; translations in
   ``tka_registry/locale/{id,en}/LC_MESSAGES/<area>.po`` (one catalogue per area, merged with
   ``messages.po`` at start-up; no compile step). ``python -m tka_registry.web.catalogue <area>``
   adds new ids of ``templates/pages/<area>`` and ``tka_registry/<area>/web*.py`` to the area's
   catalogues (then fill the ``id`` msgstr). ``tests/web/test_catalogues.py`` fails when a
   ``_()`` string of a page lacks an Indonesian translation.
5. In a handler: the actor is ``actor: CurrentActor`` (or ``request.scope.get("user")`` on a
   PUBLIC page); the language is ``language_of(request)`` (``"id"`` or ``"en"``); messages
   built in Python use ``_ = translator(request)``.
"""

from __future__ import annotations

from litestar import Router, get
from litestar.config.csrf import CSRFConfig
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_301_MOVED_PERMANENTLY
from litestar.types import ControllerRouterHandler

from tka_registry.accounts.auth import CSRF_COOKIE, PUBLIC, access, cookie_name
from tka_registry.folders import STATIC_DIR
from tka_registry.settings import Settings
from tka_registry.web.account import AccountController
from tka_registry.web.errors import html_aware
from tka_registry.web.office import OfficeController
from tka_registry.web.portal import PortalController
from tka_registry.web.session import SessionController
from tka_registry.web.templating import template_config


@get("/favicon.ico", opt=access(PUBLIC), include_in_schema=False)
async def favicon() -> Redirect:
    """Browsers ask for /favicon.ico on pages without an icon link (the JSON API, PDFs)."""
    return Redirect("/static/favicon.svg", status_code=HTTP_301_MOVED_PERMANENTLY)


PAGE_HANDLERS: list[ControllerRouterHandler] = [
    favicon,
    SessionController,
    AccountController,
    PortalController,
    OfficeController,
]


def static_files() -> Router:
    """``/static``: the pages' stylesheet, script and icon, from the package (no CDN)."""
    return create_static_files_router(
        path="/static", directories=[STATIC_DIR], opt=access(PUBLIC), include_in_schema=False
    )


def csrf_config(settings: Settings) -> CSRFConfig:
    """CSRF on every page form; the JSON API under /api/ takes bearer tokens only: exempt."""
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name=cookie_name(CSRF_COOKIE, settings.cookie_secure),
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=["^/api/"],
    )


__all__ = ["PAGE_HANDLERS", "csrf_config", "html_aware", "static_files", "template_config"]
