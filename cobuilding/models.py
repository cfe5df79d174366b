"""共建: the models."""
