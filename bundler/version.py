"""The installed package's version, from its metadata: one place, never a copy of the string."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    # importlib.metadata costs start-up time: imported only when a version is asked for
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("edgebox")
    except PackageNotFoundError:
        return "0+unknown"
