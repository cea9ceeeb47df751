"""Turning typed text into typed values: safety checks, dates, durations, words."""
