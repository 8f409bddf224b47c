"""Public import path for `proctor.core.schedules`: `from proctor.schedules import ...`.

`CronSchedule` and `IntervalSchedule` here also take the 1.x argument order
(`CronSchedule(cron, start_date)`, `IntervalSchedule(start_date, interval)`); the
submodules `clocks`, `filters` and `adjustments` are the 1.x paths.
"""

from proctor.compat import schedules as _compat
from proctor.core import schedules as _source
from proctor.core.schedules import *  # noqa: F403

# After the star import, which would bring the engine's stricter spellings back.
CronSchedule = _compat.CronSchedule
IntervalSchedule = _compat.IntervalSchedule
RRuleSchedule = _compat.RRuleSchedule  # 1.x only: Proctor writes Schedule(clocks=[RRuleClock])

__all__ = list(_source.__all__)
__all__.append("RRuleSchedule")
