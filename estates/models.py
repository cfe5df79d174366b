"""小区与物业: the models."""
