"""The application factory: ``create_app(settings)`` returns the Litestar app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.types import ControllerRouterHandler
from piccolo.engine.base import Engine

from tka_registry.accounts.admin_api import AccountAdminController
from tka_registry.accounts.api import AuthController
from tka_registry.accounts.auth import PUBLIC, TokenAuthenticationMiddleware, access, access_guard
from tka_registry.accounts.web_admin import AccountAdminPages
from tka_registry.alerts.api import AlertController
from tka_registry.alerts.schedule import scheduled_alerts
from tka_registry.alerts.web import AlertPages
from tka_registry.applications.api import ApplicationController, MrzController, TrackController
from tka_registry.applications.web import ApplicationPages
from tka_registry.applications.web_office import ReviewPages, TrackPage
from tka_registry.audit.api import AuditController
from tka_registry.audit.sealer import read_sealer
from tka_registry.audit.web import AuditPages
from tka_registry.completion.web import CompletionPages
from tka_registry.db import close_database, engine_for, open_database
from tka_registry.dependencies import DEPENDENCIES
from tka_registry.documents.api import DocumentController
from tka_registry.documents.keys import ensure_signing_key
from tka_registry.documents.letter_numbers import pattern_problem as letter_number_pattern_problem
from tka_registry.documents.web import VerificationPageController
from tka_registry.employers.api import EmployerController
from tka_registry.http_errors import EXCEPTION_HANDLERS
from tka_registry.intelligence.api import IntelligenceController, StatsController
from tka_registry.intelligence.web import IntelligencePages
from tka_registry.intelligence.web_overstays import OverstayPages
from tka_registry.listeners import connect_areas
from tka_registry.notifications.schedule import outbox_sender
from tka_registry.pagination import TYPE_ENCODERS
from tka_registry.permits.api import PermitController, VisaIndexController
from tka_registry.permits.service import visa_index_names
from tka_registry.rules.calendar import utc_now
from tka_registry.second_home.api import SecondHomeController
from tka_registry.second_home.web import SecondHomePages
from tka_registry.security.api_viewer import api_viewer, api_viewer_assets
from tka_registry.security.headers import add_security_headers
from tka_registry.security.private_files import keep_files_private
from tka_registry.security.proxies import trusted_networks
from tka_registry.security.query_text import refuse_nul_in_query
from tka_registry.security.rate_stores import close_store, shared_rate_limit_store
from tka_registry.settings import Settings, load_settings
from tka_registry.spreadsheets.api import SpreadsheetController
from tka_registry.spreadsheets.web import SpreadsheetPages
from tka_registry.system.api import health
from tka_registry.system.metrics import metrics, request_metrics
from tka_registry.system.observability import RequestObserver, RequestRecord, log_request
from tka_registry.web import PAGE_HANDLERS, csrf_config, html_aware, static_files, template_config
from tka_registry.workers.api import WorkerController
from tka_registry.workers.web import OfficeWorkerPages

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    health,
    metrics,
    AuthController,
    AccountAdminController,
    AuditController,
    AuditPages,
    AccountAdminPages,
    EmployerController,
    WorkerController,
    OfficeWorkerPages,
    OverstayPages,
    PermitController,
    VisaIndexController,
    DocumentController,
    VerificationPageController,
    IntelligenceController,
    StatsController,
    IntelligencePages,
    SecondHomeController,
    SecondHomePages,
    ApplicationController,
    MrzController,
    TrackController,
    ApplicationPages,
    ReviewPages,
    TrackPage,
    SpreadsheetController,
    SpreadsheetPages,
    CompletionPages,
    AlertController,
    AlertPages,
    *PAGE_HANDLERS,
]


def create_app(
    settings: Settings | None = None,
    clock: Callable[[], datetime] = utc_now,
    *,
    send_notifications: bool | None = None,
) -> Litestar:
    """The registry's app on the database named by ``settings.database_url``.

    The notification outbox is sent in the background when ``send_notifications``; by default
    by the app ``serve`` makes (no settings given), not by apps built for tests or tools.
    """
    if send_notifications is None:
        send_notifications = settings is None
    keep_files_private()
    connect_areas()
    settings = settings or load_settings()
    pattern_problem = letter_number_pattern_problem(settings.letter_number_pattern)
    if pattern_problem:
        raise ValueError(pattern_problem)  # refuse to start rather than fail at a decision
    background = [outbox_sender(settings, clock)] if send_notifications else []
    engine = engine_for(
        settings.database_url,
        statement_timeout_ms=settings.db_statement_timeout_ms,
        acquire_timeout_ms=settings.db_acquire_timeout_ms,
    )

    rate_limit_store = shared_rate_limit_store(settings)
    trusted_networks(settings.trusted_proxies)  # a wrong TKA_TRUSTED_PROXIES stops the start

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        await open_database(engine, pool_size=settings.db_pool_size)
        try:
            # Refuses to start rather than sign with a key other processes do not know.
            await ensure_signing_key(settings, now=clock())
            # Reference data changed only by migrations, which run before the app starts.
            app.state.visa_index_names = await visa_index_names()
            yield
        finally:
            await close_store(rate_limit_store)
            await close_database(engine)

    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, static_files(), api_viewer_assets()],
        type_encoders=TYPE_ENCODERS,
        lifespan=[database, read_sealer, *scheduled_alerts(settings, clock), *background],
        state=State(
            {
                "settings": settings,
                "clock": clock,
                "rate_limit_store": rate_limit_store,
                "engine": engine,
            }
        ),
        dependencies=DEPENDENCIES,
        guards=[access_guard],
        middleware=[DefineMiddleware(TokenAuthenticationMiddleware)],
        exception_handlers=html_aware(EXCEPTION_HANDLERS),
        template_config=template_config(),
        csrf_config=csrf_config(settings),
        before_send=[add_security_headers],
        before_request=refuse_nul_in_query,
        request_max_body_size=settings.max_request_body_bytes,
        openapi_config=OpenAPIConfig(
            title="TKA Registry",
            version="1",
            path="/schema",
            # The schema and its viewer are public: the API's own guard protects the data.
            openapi_router=Router(
                "/schema", route_handlers=[], include_in_schema=False, opt=access(PUBLIC)
            ),
            render_plugins=[api_viewer()],
        ),
        debug=settings.debug,
    )
    # Outside Litestar's routing, so unmatched paths and errors are logged and counted too.
    listeners = request_listeners(settings, engine)
    app.asgi_handler = RequestObserver(app.asgi_handler, settings, listeners)
    return app


def request_listeners(
    settings: Settings, engine: Engine[Any]
) -> list[Callable[[RequestRecord], None]]:
    """What hears of each answered request: the JSON log line, the metrics."""
    listeners: list[Callable[[RequestRecord], None]] = []
    if settings.log_format == "json":
        listeners.append(log_request)
    if settings.metrics_token:
        listeners.append(request_metrics(engine))
    return listeners
