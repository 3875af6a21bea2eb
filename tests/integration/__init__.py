"""Integration tests against a real registry and builder (see conftest.py)."""
