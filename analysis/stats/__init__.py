"""Statistics over the figures table: loading with census joins, bounds, wholes and parts, matching, intensity, attainment, trends."""
