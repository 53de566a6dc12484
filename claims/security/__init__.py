"""Defences in front of every view: refusing NUL bytes (nul_bytes.py).

Bounded JSON parsing lives in claims/api/parsers.py.
"""
