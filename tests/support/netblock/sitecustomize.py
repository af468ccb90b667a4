"""Block network access in Python subprocesses started by the tests.

The tests put this folder first on ``PYTHONPATH`` (tests/support/env.py), so
every Python subprocess they start — the `persona` CLI above all — imports it
at start-up, as pytest-socket guards the test process itself. A connection to
anything but loopback (127.0.0.0/8, ::1) or a Unix socket raises
:class:`NetworkBlockedError` before a packet leaves.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlockedError(OSError):
    """A test subprocess tried to reach a non-loopback address."""


def _allowed(sock: socket.socket, address: Any) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard(sock: socket.socket, address: Any) -> None:
    if not _allowed(sock, address):
        raise NetworkBlockedError(f"network blocked in tests: connect to {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    _guard(self, address)
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _guard(self, address)
    return _real_connect_ex(self, address)


socket.socket.connect = _connect  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign,assignment]
