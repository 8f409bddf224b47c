"""Wheels carry the built web UI, or are not built at all.

The UI is built from `ui/` into `src/proctor/server/ui_dist/` (`make ui-build`), which is
not in git. A wheel built without it would install a server that shows a placeholder page
instead of the UI, and nobody would notice until they opened it. So, for a wheel (not for
an editable install, which `make run` builds the UI for):

- the UI already built and up to date: packed as it is;
- missing or older than its sources, with npm on PATH: built now (`npm ci`, `npm run
  build` in `ui/`, as `make ui-build` does);
- missing without npm: the build stops with one message saying what to do;
- older than its sources without npm: packed, with a warning.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

UI_DIST = Path("src/proctor/server/ui_dist")
UI_SOURCES = (
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
)


def _newest_source(ui: Path) -> float:
    newest = 0.0
    for name in UI_SOURCES:
        path = ui / name
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                newest = max(newest, file.stat().st_mtime)
    return newest


class WebUIBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        ui, index = root / "ui", root / UI_DIST / "index.html"
        has_sources = (ui / "package.json").is_file()
        stale = index.is_file() and has_sources and index.stat().st_mtime < _newest_source(ui)
        if index.is_file() and not stale:
            return
        npm = shutil.which("npm")
        if npm is not None and has_sources:
            self.app.display_info("Building the web UI (npm ci, npm run build in ui/)")
            for step in ([npm, "ci", "--no-audit", "--no-fund"], [npm, "run", "build"]):
                done = subprocess.run(step, cwd=ui, check=False)
                if done.returncode != 0:
                    self.app.abort(
                        f"Building the web UI failed ({' '.join(step[1:])} in ui/, exit "
                        f"code {done.returncode}); a wheel without it is not built."
                    )
            if index.is_file():
                return
        if stale:
            self.app.display_warning(
                "The web UI in src/proctor/server/ui_dist is older than its sources in ui/ "
                "and npm is not on PATH to rebuild it: packing the older build."
            )
            return
        self.app.abort(
            "The web UI is not built (src/proctor/server/ui_dist/index.html is missing) and "
            "it cannot be built here (it needs Node.js 20.19+ and npm on PATH, and the ui/ "
            "sources). Run `make ui-build` (or install Node.js and npm) and build the wheel "
            "again: a wheel without the UI is never built."
        )
