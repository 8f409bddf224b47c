"""Context: today, yesterday and tomorrow are ISO dates one day apart."""

from datetime import date, timedelta

import prefect
from prefect import Flow, task


@task
def dates():
    today = date.fromisoformat(prefect.context.today)
    return [
        prefect.context.yesterday == (today - timedelta(days=1)).isoformat(),
        prefect.context.tomorrow == (today + timedelta(days=1)).isoformat(),
        prefect.context.today_nodash == prefect.context.today.replace("-", ""),
    ]


with Flow("context-dates") as flow:
    dates()
