"""The figures table itself: its field table and schema, semantic checks, metric shapes, output sets."""
