"""Signals: ENDRUN ends the task in the state it carries."""

from prefect import Flow, task
from prefect.engine.signals import ENDRUN
from prefect.engine.state import Skipped, Success


@task
def finish_now():
    raise ENDRUN(state=Success(message="ended early", result=7))


@task
def skip_now():
    raise ENDRUN(state=Skipped(message="skipped by ENDRUN"))


with Flow("signals-endrun") as flow:
    finish_now()
    skip_now()
