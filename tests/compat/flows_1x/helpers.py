"""A helper module beside the flows, defining no flow: `register -p DIR` passes it over."""

VALUE = 1
