"""The registry as one Piccolo app, with its migrations in ``migrations/`` (see ``folders``)."""

from piccolo.conf.apps import AppConfig

from tka_registry.db import all_tables
from tka_registry.folders import MIGRATIONS_DIR

APP_CONFIG = AppConfig(
    app_name="tka_registry",
    migrations_folder_path=str(MIGRATIONS_DIR),
    table_classes=all_tables(),
)
