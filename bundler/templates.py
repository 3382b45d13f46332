"""The jinja2 environment for templates/ (stubs, .d.ts, adapter WAT).

Every `{{ value }}` must be a number or `Code` (escape.py): a plain string reaching
a template is an error at render time, so no outside name is ever pasted unescaped.
The filters `js`, `export_name`, `comment` and `wat` make Code from any string.

The templates live at the repository's top level, templates/; a wheel carries them
inside the package, as bundler/_templates/ (setup.py copies them there), because a
wheel can only install files under its packages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .escape import Code, comment, js_export_name, js_string, wat_string

_PACKAGE = Path(__file__).resolve().parent
INSTALLED_TEMPLATE_DIR = _PACKAGE / "_templates"  # in an installed wheel
CHECKOUT_TEMPLATE_DIR = _PACKAGE.parent / "templates"  # in a checkout (and an editable install)


def template_dir() -> Path:
    """The installed copy when there is one, else the checkout's templates/."""
    return INSTALLED_TEMPLATE_DIR if INSTALLED_TEMPLATE_DIR.is_dir() else CHECKOUT_TEMPLATE_DIR


class UnescapedValue(TypeError):
    """A template was handed text that no escape function produced: a bug of ours."""


def _only_code(value: Any) -> Any:
    # Markup: what jinja's own |tojson returns (JSON with <, >, & and ' escaped as \\u00XX)
    if isinstance(value, Code | Markup) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UnescapedValue(f"a template was given {type(value).__name__} {value!r:.60}; escape it first")


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_only_code,
    )
    env.filters.update(js=js_string, export_name=js_export_name, comment=comment, wat=wat_string)
    return env


def render(name: str, **values: Any) -> str:
    return _env().get_template(name).render(**values)
