"""Piccolo's configuration module (PICCOLO_CONF). The engine is set again by ``db.bind``."""

import os

from piccolo.conf.apps import AppRegistry

from tka_registry.db import engine_for
from tka_registry.settings import DEFAULT_DATABASE_URL

DB = engine_for(os.environ.get("TKA_DATABASE_URL") or DEFAULT_DATABASE_URL)
APP_REGISTRY = AppRegistry(apps=["tka_registry.piccolo_app"])
