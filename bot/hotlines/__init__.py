"""The hotline registry, and routing people to the right local help."""
