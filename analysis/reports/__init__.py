"""Notebooks into pages: formatting, escaping, tables, charts, the report grid and its renderer."""
