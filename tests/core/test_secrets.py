"""`Secret` in flows run locally: where values come from, the task form, and masking."""

from __future__ import annotations

import json
import logging

import pytest

from proctor import Flow, Secret, flow, get_run_logger, task
from proctor.core.logs import RunFormatter
from proctor.core.masking import MASK, forget_secret_values, mask_secrets, register_secret_value
from proctor.core.secrets import SecretError, SecretNotFound, SecretTask, set_secret_resolver
from proctor.results import LocalResult


@pytest.fixture(autouse=True)
def _no_masks_left_over():
    forget_secret_values()
    yield
    forget_secret_values()


def test_an_environment_variable_wins_over_the_secrets_file(isolated_home, monkeypatch):
    (isolated_home / "secrets.toml").write_text('API_TOKEN = "from-file"\nOTHER = "other-value"\n')
    monkeypatch.setenv("PROCTOR_SECRETS_API_TOKEN", "from-env")
    assert Secret("API_TOKEN").get() == "from-env"
    assert Secret("OTHER").get() == "other-value"


def test_a_json_secrets_file_is_read_when_there_is_no_toml(isolated_home):
    (isolated_home / "secrets.json").write_text(json.dumps({"DB_PASSWORD": "pw-from-json"}))
    assert Secret("DB_PASSWORD").get() == "pw-from-json"


def test_a_missing_secret_says_where_to_put_it(isolated_home):
    with pytest.raises(SecretNotFound) as caught:
        Secret("NOWHERE").get()
    message = str(caught.value)
    assert "PROCTOR_SECRETS_NOWHERE" in message and "secrets.toml" in message


def test_bad_names_and_bad_files_are_clear_errors(isolated_home):
    for bad in ("", "9LIVES", "with space", "dash-ed", "x" * 201):
        with pytest.raises(SecretError, match="Invalid secret name"):
            Secret(bad)
    (isolated_home / "secrets.toml").write_text("NUMBER = 12\n")
    with pytest.raises(SecretError, match="must be a string"):
        Secret("NUMBER").get()
    (isolated_home / "secrets.toml").write_text("not = [valid toml")
    with pytest.raises(SecretError, match="Cannot read the local secrets file"):
        Secret("NUMBER").get()


def test_repr_never_shows_the_value(monkeypatch):
    monkeypatch.setenv("PROCTOR_SECRETS_TOKEN", "s3cr3t-value")
    secret = Secret("TOKEN")
    secret.get()
    assert "s3cr3t" not in repr(secret) and repr(secret) == "Secret('TOKEN')"


def test_an_installed_resolver_replaces_the_local_lookup(monkeypatch):
    monkeypatch.setenv("PROCTOR_SECRETS_TOKEN", "local-value")
    asked: list[str] = []

    def resolver(name: str) -> str:
        asked.append(name)
        return f"server-{name}"

    previous = set_secret_resolver(resolver)
    try:
        assert Secret("TOKEN").get() == "server-TOKEN"
    finally:
        set_secret_resolver(previous)
    assert asked == ["TOKEN"]
    assert Secret("TOKEN").get() == "local-value"


def test_masking_covers_the_value_its_lines_and_escaped_forms():
    assert mask_secrets("nothing read yet") == "nothing read yet"
    register_secret_value('pa"ss\nword-line')
    text = "a pa\"ss\nword-line b 'pa\\\"ss\\nword-line' c word-line"
    masked = mask_secrets(text)
    assert "word-line" not in masked and "pa" not in masked.replace("MASK", "")
    assert masked.count(MASK) >= 3
    register_secret_value("ab")  # too short to mask without wrecking every log line
    assert mask_secrets("abc") == "abc"


def test_the_task_form_passes_the_value_and_never_checkpoints_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PROCTOR_SECRETS_API_TOKEN", "tok-123456")

    @task
    def use(token: str) -> int:
        return len(token)

    with Flow("uses-secret", result=LocalResult(dir=tmp_path)) as f:
        length = use(Secret("API_TOKEN"))
    [secret_node] = [node for node in f.nodes if isinstance(node.task, SecretTask)]
    assert secret_node.slug == "secret:API_TOKEN"
    state = f.run()
    assert state.is_successful()
    assert state.result[length].result == len("tok-123456")
    assert state.result[secret_node].result_location is None
    written = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert b"tok-123456" not in written


def test_a_value_read_in_a_task_is_masked_in_run_logs_and_failure_messages(monkeypatch):
    monkeypatch.setenv("PROCTOR_SECRETS_DB_PASSWORD", "hunter2-password")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect()
    logger = logging.getLogger("proctor")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    @task
    def connect() -> None:
        password = Secret("DB_PASSWORD").get()
        get_run_logger().info("connecting with %s", password)
        raise ValueError(f"login refused for password {password}")

    @flow
    def db_job():
        connect()

    try:
        state = db_job.run()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert state.is_failed()
    formatted = [RunFormatter().format(record) for record in records]
    assert any(f"connecting with {MASK}" in line for line in formatted)
    assert not any("hunter2" in line for line in formatted)
    [task_state] = state.result.values()
    assert "hunter2" in task_state.message  # the local state keeps the raw exception text
    assert "hunter2" not in mask_secrets(task_state.message)
