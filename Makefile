# PARÉ Desktop — `make run` starts the app on the demo data, `make test` runs every test headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QTWEBENGINE_DISABLE_SANDBOX ?= 1

.PHONY: run test lint bench screenshots bundle bundle-check windows windows-check clean

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/pare

test: $(STAMP)
	@bash scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pare_desktop tests benchmarks scripts
	$(BIN)/mypy pare_desktop

# Every benchmark, then one table: each figure (median of 3), its target, the anchors of the same run.
bench: $(STAMP)
	@$(BIN)/python -m benchmarks.report --reset
	@for b in benchmarks/bench_*.py; do m=$$(basename $$b .py); echo "== $$m"; \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.$$m || exit 1; done
	@echo "== report"; $(BIN)/python -m benchmarks.report

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pare screenshot docs/screenshots

bundle: $(STAMP)
	$(BIN)/python scripts/bundle.py

# The frozen app: linked libraries all found, --self-test green, the window rendered to PNG (offscreen).
bundle-check: $(STAMP)
	$(BIN)/python scripts/bundle.py --if-needed
	$(BIN)/python scripts/bundle_check.py

# Windows, built on Debian under wine (scripts/windows/, docs/packaging.md « Windows »): dist/pare-windows/,
# its zip and the NSIS installer. Downloads cached in build/windows-cache/.
windows: $(STAMP)
	$(BIN)/python scripts/windows/build.py

# The frozen pare.exe under wine: --version, import, searches compared with Linux, exports, sync on
# 127.0.0.1, installer /S. Qt widgets and QtWebEngine cannot run under wine 8 (checklist in the docs).
windows-check: $(STAMP)
	$(BIN)/python scripts/windows/build.py --if-needed --compressor none --no-zip
	$(BIN)/python scripts/windows/check.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
