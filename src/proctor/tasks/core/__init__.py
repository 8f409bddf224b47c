"""1.x path `prefect.tasks.core`: `function`, `constants`, `collections`, `operators`."""
