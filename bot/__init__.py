"""Kalasag: an online-safety chatbot for families and schools."""
