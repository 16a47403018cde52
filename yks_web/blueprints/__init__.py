"""One blueprint per guide flow."""
