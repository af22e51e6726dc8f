"""Reusable widgets of the explorer."""
