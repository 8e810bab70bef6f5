# Linux/macOS entry points. Windows equivalents are in the README.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean-venv dist dist-check icons

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python installer/check_qt_libs.py
	$(BIN)/python main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/run_all.py

# The one-folder build (PyInstaller; see installer/README.md). Linux: dist/EvidenceOrganiser/ with
# the .desktop file, icons and install.sh; Windows uses the same spec from its workflow.
DIST_STAMP := $(VENV)/.installed-dist
DIST_DIR := dist/EvidenceOrganiser

$(DIST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf $(DIST_DIR) build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/evidence_app.spec
	cp installer/linux/evidence-organiser.desktop installer/linux/evidence-organiser-mime.xml \
		installer/linux/install.sh $(DIST_DIR)/
	cp icons/png/app-256.png $(DIST_DIR)/evidence-organiser.png
	@du -sh $(DIST_DIR)

# Build, then run the bundle's own self-test with no display (what CI runs).
dist-check: dist
	cd /tmp && QT_QPA_PLATFORM=offscreen $(CURDIR)/$(DIST_DIR)/evidence-app --version
	cd /tmp && QT_QPA_PLATFORM=offscreen $(CURDIR)/$(DIST_DIR)/evidence-app --self-test

# Regenerate icons/app.ico and icons/png/ from icons/app.svg.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python installer/make_icons.py

clean-venv:
	rm -rf $(VENV)
