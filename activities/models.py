"""活动: the models."""
