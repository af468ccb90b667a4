"""Helpers shared by the tests (conftest.py files hold only fixture wiring)."""
