"""评选: the models."""
