"""Faces of the bot that the Rasa server hosts: input channels and the pages it serves."""
