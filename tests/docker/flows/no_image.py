"""A flow whose image does not exist anywhere."""

from proctor import flow, task
from proctor.run_configs import DockerRun


@task
def never() -> None:
    pass


@flow
def no_image():
    never()


no_image.run_config = DockerRun(image="proctor-no-such-image:0")
