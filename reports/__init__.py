"""Rampe."""
