"""The build backend: setuptools, plus what building the wheel's engine needs.

setup.py builds the engine into every wheel, which takes ziglang (the compiler) and
pip (to fetch the pinned QuickJS-NG sources when the engine cache has no build). An
editable install ships no engine, so it does not pay for ziglang's 411 MB in its
build environment (~17 s per install).
"""

from __future__ import annotations

from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (the backend hooks, re-exported)

# ziglang as the `toolchain` extra pins it; wasmtime as the package depends on it: the build runs
# a first link of the engine to compile the engine's own JS to bytecode (engine/build.py).
ENGINE_BUILD_REQUIRES = ["ziglang==0.17.0", "pip", "wasmtime==50.0.1"]


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return [*_setuptools.get_requires_for_build_wheel(config_settings), *ENGINE_BUILD_REQUIRES]
