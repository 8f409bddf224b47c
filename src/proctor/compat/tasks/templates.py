"""Template tasks: `StringFormatter` (str.format) and `JinjaTemplate` (Jinja2).

Both render with the run's context values (flow_name, task_name, today, parameters, ...)
plus the keyword arguments of the call, which win over the context.
"""

from __future__ import annotations

from typing import Any

from proctor.compat.utilities import defaults_from_attrs, run_context_values
from proctor.core.errors import ProctorError
from proctor.core.task import Task


class StringFormatter(Task):
    """`StringFormatter(template="{greeting}, {name}!")(greeting="Hi", name="Ann")`."""

    def __init__(self, template: str | None = None, **kwargs: Any) -> None:
        self.template = template
        super().__init__(**kwargs)

    @defaults_from_attrs("template")
    def run(self, template: str | None = None, **format_kwargs: Any) -> str:
        if template is None:
            raise ValueError("StringFormatter needs a template: StringFormatter(template=...).")
        return template.format(**{**run_context_values(), **format_kwargs})


class JinjaTemplate(Task):
    """`JinjaTemplate(template="{{ a }}-{% for i in xs %}{{ i }}{% endfor %}")(a=1, xs=[...])`.

    Needs the `jinja2` package (`pip install 'proctor[templates]'`).
    """

    def __init__(self, template: str | None = None, **kwargs: Any) -> None:
        self.template = template
        super().__init__(**kwargs)

    @defaults_from_attrs("template")
    def run(self, template: str | None = None, **format_kwargs: Any) -> str:
        try:
            import jinja2
        except ImportError:
            raise ProctorError(
                "JinjaTemplate needs the jinja2 package, which is not installed here: "
                "pip install 'proctor[templates]' (or pip install jinja2)."
            ) from None
        if template is None:
            raise ValueError("JinjaTemplate needs a template: JinjaTemplate(template=...).")
        rendered: str = jinja2.Template(template).render(
            **{**run_context_values(), **format_kwargs}
        )
        return rendered


__all__ = ["JinjaTemplate", "StringFormatter"]
