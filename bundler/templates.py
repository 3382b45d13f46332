"""The jinja2 environment for templates/ (stubs, .d.ts, adapter WAT).

The templates live at the repository's top level, templates/; a wheel carries them
inside the package, as bundler/_templates/ (setup.py copies them there), because a
wheel can only install files under its packages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

_PACKAGE = Path(__file__).resolve().parent
INSTALLED_TEMPLATE_DIR = _PACKAGE / "_templates"  # in an installed wheel
CHECKOUT_TEMPLATE_DIR = _PACKAGE.parent / "templates"  # in a checkout (and an editable install)


def template_dir() -> Path:
    """The installed copy when there is one, else the checkout's templates/."""
    return INSTALLED_TEMPLATE_DIR if INSTALLED_TEMPLATE_DIR.is_dir() else CHECKOUT_TEMPLATE_DIR


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **values: Any) -> str:
    return _env().get_template(name).render(**values)
