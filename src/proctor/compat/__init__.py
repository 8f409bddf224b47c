"""The 1.x module paths and names, as thin layers over the Proctor engine."""
