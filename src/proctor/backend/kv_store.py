"""1.x path `prefect.backend.kv_store`: not offered by Proctor;
taking any name from it raises `NotOfferedError` saying what to use instead
(see `proctor.compat.not_offered`)."""

from proctor.compat.not_offered import module_getattr

__getattr__ = module_getattr("prefect.backend.kv_store")
