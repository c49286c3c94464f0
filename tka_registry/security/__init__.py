"""Hardening that applies to every response: headers, size limits, the access table."""
