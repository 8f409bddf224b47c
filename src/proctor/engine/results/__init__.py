"""1.x path `prefect.engine.results`: `LocalResult`, `PrefectResult`, `S3Result`, ..."""

from proctor.compat.results import AzureResult, GCSResult, LocalResult, PrefectResult, S3Result
from proctor.core.results import FSSpecResult, Result

__all__ = [
    "AzureResult",
    "FSSpecResult",
    "GCSResult",
    "LocalResult",
    "PrefectResult",
    "Result",
    "S3Result",
]
