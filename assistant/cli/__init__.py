"""The `persona` command line: a thin layer over the core.

Conventions for every command: ``--workspace DIR`` (global), ``--json`` prints
machine-readable JSON on stdout only (progress and logs go to stderr), exit
0 = success, 1 = some items failed, 2 = usage or configuration error.
"""
