"""走访: the models."""
