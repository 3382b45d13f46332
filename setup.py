"""What pyproject.toml cannot say: the files a wheel carries from outside the package.

- templates/*.j2 (kept at the top level, the agreed layout) → bundler/_templates/
- docs/diagnostics.md → bundler/_docs/, which SARIF output links to and quotes
- the engine, built from its pinned sources (bundler/engine/build.py, reusing the
  development cache when it has this exact build) → bundler/engine/engine.wasm, with
  engine.json recording the source key it was built from

so that an installed wheel bundles and runs without the checkout, a compiler or the
network. An editable install (pip install -e .) copies nothing: the package is the
checkout, which reads templates/ in place and builds its engine on first use.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class build_py_with_templates_and_engine(build_py):  # noqa: N801 (setuptools command naming)
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "bundler"
        self._copy_templates(package / "_templates")
        self._copy_docs(package / "_docs")
        self._ship_engine(package / "engine")

    def _copy_templates(self, dest: Path) -> None:
        shutil.rmtree(dest, ignore_errors=True)  # no stale template from an earlier build
        dest.mkdir(parents=True)
        for src in sorted([*(ROOT / "templates").glob("*.j2"), *(ROOT / "templates").glob("*.d.ts")]):
            shutil.copyfile(src, dest / src.name)

    def _copy_docs(self, dest: Path) -> None:
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "docs" / "diagnostics.md", dest / "diagnostics.md")

    def _ship_engine(self, dest: Path) -> None:
        sys.path.insert(0, str(ROOT))
        try:
            from bundler.engine import build
        finally:
            sys.path.remove(str(ROOT))
        if Path(build.__file__).resolve().parent != ROOT / "bundler" / "engine":
            raise RuntimeError(f"setup.py imported the engine build from {build.__file__}, not this checkout")
        engine = build.ensure_built_engine()
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(engine.path, dest / "engine.wasm")
        info = build.shipped_info(engine)
        (dest / "engine.json").write_text(json.dumps(info, indent=2) + "\n")


setup(cmdclass={"build_py": build_py_with_templates_and_engine})
