"""1.x path `prefect.tasks`: the task library (`shell`, `templates`, `control_flow`, ...)."""
