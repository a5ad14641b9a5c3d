"""`make bench`: Kalasag against Rasa's own starter bot, measured the same way."""
