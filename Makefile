# care_network developer commands. Everything cached lives outside the clone.
.PHONY: run test doctor lint bench bench-reminders loadtest setup screenshots

run:    ## Odoo with the addon and demo data on http://localhost:8069
	@bash tools/run.sh

test:   ## fresh database, all Odoo tests (tours included), then lint
	@bash tools/test.sh

doctor: ## is everything make test needs here?
	@bash tools/doctor.sh

lint:
	@bash tools/setup.sh venv link && bash tools/lint.sh

setup:
	@bash tools/setup.sh

export SCALE

bench:  ## 100k-client benchmark database (built once) and timings vs Odoo baselines (SCALE=1000000: ten times the data)
	@bash tools/setup.sh && $(MAKE) --no-print-directory -s _bench

_bench:
	@bash -c 'source tools/common.sh && export REPO_ROOT ODOO_PATH CACHE_DIR ADDONS_LINK_DIR TEST_DB && cd tools && "$$VENV_PY" bench.py'

bench-reminders: ## profile the reminder cron on REMINDERS=3000 due reminders in DB (a database with the addon; rolled back)
	@bash -c 'source tools/common.sh && REMINDERS=$${REMINDERS:-3000} "$$VENV_PY" "$$ODOO_PATH/odoo-bin" shell -d "$(DB)" --addons-path="$$ODOO_PATH/addons,$$ODOO_PATH/odoo/addons,$$ADDONS_LINK_DIR" --data-dir="$$CACHE_DIR/data" --no-http --log-level=warn < tools/bench/reminder_profile.py'

loadtest: ## locust at 10, 50, 200 users on the bench database, 4 workers + 2 cron workers (REPLICA=1: with a streaming replica)
	@bash tools/loadtest.sh

screenshots: ## README screenshots (static/description/), taken in Chromium on the demo database
	@bash tools/screenshots.sh
