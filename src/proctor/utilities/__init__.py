"""1.x path `prefect.utilities`."""
