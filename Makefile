# Linli: the two commands are `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PY := .venv/bin/python
UV := .tools/bin/uv
MANAGE := $(PY) manage.py
VENDOR := static/vendor
APT_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils nginx
export PYTHONUNBUFFERED := 1

.PHONY: run test lint bench soak install python-deps static-deps system-deps migrate demo clean

run: install migrate ## Set up everything, load the demo district and start the server and the worker
	y=$$(date +%Y); $(MANAGE) sync_calendar $$((y - 2)) $$((y - 1)) $$y $$((y + 1))  # the demo's two years and the next
	$(MANAGE) load_demo
	$(MANAGE) triage ensure-model
	$(MANAGE) schedule_jobs
	@echo "Linli: http://127.0.0.1:8000/  (background worker runs beside the server; Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(MANAGE) jobs_worker --queue-name default --interval 1 & \
	  $(MANAGE) runserver 127.0.0.1:8000 --noreload

test: install ## Lint-free code, migrations in step, and the whole test suite (DATABASE_URL picks the database)
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: install
	$(PY) bench/run.py

# Fault tests of the production stack (deploy/soak/soak_*.py: two web instances and two workers behind nginx,
# concurrent transitions, SIGKILL under load, a PostgreSQL restart under load). Long (several minutes), so not part
# of `make test`. PostgreSQL: DATABASE_URL names the server (default the local one); the tests create and drop their
# own database. The restart test stops and starts a private cluster instead (Debian's postgresql server binaries).
soak: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/soak} \
	  $(PY) -m pytest deploy/soak -o python_files='soak_*.py' -v

install: python-deps static-deps system-deps

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

python-deps: .tools/bin/uv
	$(UV) sync --frozen --quiet

static-deps: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/  # axe-core: the browser tests inject it to check accessibility; no page loads it
	rm -rf $(VENDOR)/swagger-ui-dist && mkdir -p $(VENDOR)/swagger-ui-dist
	cp node_modules/swagger-ui-dist/{swagger-ui.css,swagger-ui.css.map,swagger-ui-bundle.js,swagger-ui-standalone-preset.js,favicon-32x32.png} $(VENDOR)/swagger-ui-dist/
	touch $@

# Debian packages: chromium for the browser tests, CJK fonts for pages and screenshots (Noto) and PDFs (WenQuanYi
# Micro Hei: reportlab embeds TrueType outlines only, Noto CJK is CFF), poppler-utils to check PDFs.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

migrate: install
	mkdir -p var
	$(MANAGE) migrate --noinput

clean:
	rm -rf var .venv .tools node_modules $(VENDOR)
