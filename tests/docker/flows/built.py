"""A flow with Docker storage: registering it builds an image FROM the tests' run image
with the flow file, a data file, an env var and an extra Dockerfile line in it.

The tests vary the build through the environment of `proctor register`:
PROCTOR_TEST_BASE_IMAGE, PROCTOR_TEST_REGISTRY and PROCTOR_TEST_EXTRA_COMMAND.
"""

import os
from pathlib import Path

from proctor import flow, get_run_logger, task
from proctor.storage import Docker


@task
def where() -> str:
    here = Path(__file__).resolve()
    greeting = Path("/opt/proctor/data/greeting.txt").read_text().strip()
    logger = get_run_logger()
    logger.info("flow file at %s, in a container: %s", here, Path("/.dockerenv").exists())
    logger.info("baked: %s; data: %s", os.environ.get("BAKED"), greeting)
    return str(here)


@flow
def built():
    where()


built.storage = Docker(
    base_image=os.environ.get("PROCTOR_TEST_BASE_IMAGE", "proctor-test-run:local"),
    registry_url=os.environ.get("PROCTOR_TEST_REGISTRY"),
    image_name="proctor-test-built",
    env_vars={"BAKED": "set in the image"},
    files={str(Path(__file__).with_name("built_data.txt")): "/opt/proctor/data/greeting.txt"},
    extra_dockerfile_commands=[
        os.environ.get("PROCTOR_TEST_EXTRA_COMMAND", "LABEL io.proctor.test=built")
    ],
)
