"""Privacy for minors: what is stored, for how long, and forgetting on request."""
