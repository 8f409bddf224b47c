"""Proctor's command-line interface: `proctor run-local`, and later server and agent commands.

`proctor.cli.main.app` is the typer application behind the `proctor` console script. Each
command lives in a module of its own that exposes `register(app)`; heavy imports happen
inside the commands so that `proctor --help` starts quickly.
"""
