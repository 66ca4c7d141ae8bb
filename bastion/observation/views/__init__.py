"""Pages of the observation app (医学观察), one module per area."""
