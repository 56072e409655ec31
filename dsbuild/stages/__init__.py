"""Pipeline stages: plain functions (or small callables) over records, no I/O."""
