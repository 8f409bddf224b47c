"""The 1.x task library, rebuilt on Proctor's `Task`."""
