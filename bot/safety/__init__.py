"""The safety layer: text normalisation and the deterministic crisis detector."""
