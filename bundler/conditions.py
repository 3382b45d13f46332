"""The package conditions EdgeBox matches by default (resolve.py says why each one).

A module of its own so that the command line's --help text reads them without importing
the resolver, which edgebox-exec running a .ebx never needs.
"""

DEFAULT_CONDITIONS = ("edgebox", "worker", "browser", "import", "module", "default")
