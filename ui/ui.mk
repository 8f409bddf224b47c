# The web UI (ui/ -> src/proctor/server/ui_dist/). Included by the top-level Makefile:
#   include ui/ui.mk
# `ui-build` runs `npm ci` only when the lock file changed, and `vite build` only when a
# source changed, so `make run` on an unchanged tree costs nothing.

UI_DIR := ui
UI_DIST := src/proctor/server/ui_dist
UI_NODE_STAMP := $(UI_DIR)/node_modules/.proctor-installed
UI_SOURCES := $(shell find $(UI_DIR)/src $(UI_DIR)/public -type f 2>/dev/null) \
	$(UI_DIR)/index.html $(UI_DIR)/package.json $(UI_DIR)/package-lock.json \
	$(UI_DIR)/vite.config.ts $(UI_DIR)/typedDocuments.ts $(UI_DIR)/tsconfig.json

.PHONY: ui-build ui-test ui-dev ui-clean

# The UI needs Node.js and npm. Without npm, a goal that builds the UI stops before
# anything runs, with one line saying what to install (instead of make's "Error 127").
UI_GOALS := run test ui-build ui-test ui-dev
UI_NEEDS_NPM := $(if $(MAKECMDGOALS),$(filter $(UI_GOALS),$(MAKECMDGOALS)),default)
ifneq ($(UI_NEEDS_NPM),)
ifeq ($(shell command -v npm 2>/dev/null),)
$(error The web UI needs Node.js (20.19+ or 22.12+) and npm, and npm is not on PATH: install them (e.g. apt-get install nodejs npm, or from nodejs.org) and run make again)
endif
endif

$(UI_NODE_STAMP): $(UI_DIR)/package.json $(UI_DIR)/package-lock.json
	cd $(UI_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(UI_DIST)/index.html: $(UI_NODE_STAMP) $(UI_SOURCES)
	cd $(UI_DIR) && npm run --silent build
	touch $@

ui-build: $(UI_DIST)/index.html

# The generated GraphQL types (src/gql/) must match the committed schema and the UI's
# documents: `npm run codegen` rewrites them, codegen:check fails when they are stale.
ui-test: $(UI_NODE_STAMP)
	cd $(UI_DIR) && npm run --silent codegen:check
	cd $(UI_DIR) && npx vitest run

# Dev server with hot reload on :5173, proxying the API to `proctor server start --port 4300`.
ui-dev: $(UI_NODE_STAMP)
	cd $(UI_DIR) && npx vite

ui-clean:
	rm -rf $(UI_DIR)/node_modules $(UI_DIST)
