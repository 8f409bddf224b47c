"""The plain HTTP routes of the server beside GraphQL: health, metrics and the UI files."""
