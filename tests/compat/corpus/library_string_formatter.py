"""Task library: StringFormatter fills a template from task outputs and constants."""

from prefect import Flow, task
from prefect.tasks.templates import StringFormatter


@task
def name():
    return "ada"


greet = StringFormatter(name="greet", template="{greeting}, {name}!")

with Flow("library-string-formatter") as flow:
    greet(greeting="hello", name=name())
