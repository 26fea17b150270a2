"""Reasoning tools built on the compiled engine (one module per tool)."""
