"""街长制: the models."""
