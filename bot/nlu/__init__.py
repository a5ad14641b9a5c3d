"""Our own Rasa NLU components."""
