"""Open311 GeoReport v2: the models."""
