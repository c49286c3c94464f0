"""The API documentation viewer under /schema with its assets served from this server.

Swagger UI's script and styles come from the ``swagger-ui-bundle`` package (the copy that
connexion ships), under ``/schema-ui/``: no page of the registry loads anything from a
third-party CDN.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from tka_registry.accounts.auth import PUBLIC, access

ASSETS_PATH = "/schema-ui"


def api_viewer() -> SwaggerRenderPlugin:
    """Swagger UI pointed at the local assets."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f'<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon-32x32.png">',
    )


def api_viewer_assets() -> Router:
    """``/schema-ui/``: Swagger UI's files from the installed package."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[Path(swagger_ui_path)],
        opt=access(PUBLIC),
        include_in_schema=False,
    )
