"""联席会议与党建联盟: the models."""
