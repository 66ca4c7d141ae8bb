"""Forms of the screening pages: they parse input; the services judge it."""
