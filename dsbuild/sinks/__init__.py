"""Sinks: where rendered rows go (files in the output directory, the Hub)."""
