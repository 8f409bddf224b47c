"""The Proctor engine: tasks, flows, states, runners and executors.

Nothing here imports the server, the agent or the CLI; flows run with no server at all.
"""
