"""党群服务阵地: the models."""
