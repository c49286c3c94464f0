"""The registry as one Piccolo app, with its migrations in the top-level ``migrations/``."""

from piccolo.conf.apps import AppConfig

from tka_registry.db import MIGRATIONS_FOLDER, all_tables

APP_CONFIG = AppConfig(
    app_name="tka_registry",
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=all_tables(),
)
