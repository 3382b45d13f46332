"""What pyproject.toml cannot say: the files a wheel carries from outside the package.

- templates/*.j2 (kept at the top level, the agreed layout) → bundler/_templates/

so that an installed wheel bundles without the checkout. An editable install
(pip install -e .) copies nothing: the package is the checkout, which reads
templates/ in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class build_py_with_templates(build_py):  # noqa: N801 (setuptools command naming)
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        self._copy_templates(Path(self.build_lib) / "bundler" / "_templates")

    def _copy_templates(self, dest: Path) -> None:
        shutil.rmtree(dest, ignore_errors=True)  # no stale template from an earlier build
        dest.mkdir(parents=True)
        for src in sorted((ROOT / "templates").glob("*.j2")):
            shutil.copyfile(src, dest / src.name)


setup(cmdclass={"build_py": build_py_with_templates})
