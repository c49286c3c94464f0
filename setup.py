"""Puts ``templates/`` and ``migrations/`` into the built package (``tka_registry/templates``,
``tka_registry/migrations``), so an installed wheel renders pages and migrates. The repository
keeps them at the top level; ``tka_registry/folders.py`` finds them in either place. Everything
else about the package is in ``pyproject.toml``."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Each folder, and the files of it the registry reads at run time.
SHIPPED = {"templates": "**/*", "migrations": "*.py"}


class BuildWithFolders(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders in place
            return
        for folder, pattern in SHIPPED.items():
            built = Path(self.build_lib, "tka_registry", folder)
            # Copied afresh each build: a file deleted from the checkout must not linger in the
            # next wheel (an old migration would run).
            shutil.rmtree(built, ignore_errors=True)
            for source in sorted(Path(folder).glob(pattern)):
                if source.is_file() and "__pycache__" not in source.parts:
                    target = built / source.relative_to(folder)
                    self.mkpath(str(target.parent))
                    self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildWithFolders})
