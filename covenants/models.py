"""居民公约: the models."""
