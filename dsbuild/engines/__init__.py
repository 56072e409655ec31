"""Engines run the per-conversation processor over batches and yield results in input order."""
