"""Domain rules as plain functions: no request, no app, the clock passed in (STYLE §5)."""
