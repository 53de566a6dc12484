"""Defences that sit in front of every view: request sanitising (NUL bytes) and bounded JSON parsing."""
