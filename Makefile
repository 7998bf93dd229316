# The two commands of the README:
#   make lab    set up (first time only) and open the notebooks in JupyterLab
#   make test   set up (first time only) and run every test: annlib, the notebooks, the browser tests
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# JupyterLab listens on this machine only, with token authentication; override e.g. `make lab IP=0.0.0.0`.
IP     ?= 127.0.0.1
PORT   ?= 8888
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab playground test test-core test-notebooks test-browser test-min bench html solutions clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

lab: setup
	$(VENV)/bin/jupyter lab --ip=$(IP) --port=$(PORT) --notebook-dir=notebooks $(ROOT_FLAG)

# The playground of notebook 7 as an app of its own (Voila: no code cells), on http://127.0.0.1:8866
playground: setup
	$(VENV)/bin/voila notebooks/playground.ipynb --port=8866 --Voila.ip=127.0.0.1

test: setup
	MPLBACKEND=Agg $(PY) -m pytest -q tests
	$(MAKE) --no-print-directory test-notebooks

test-core: setup
	MPLBACKEND=Agg $(PY) -m pytest -q tests --ignore=tests/browser

# Every notebook, top to bottom, on a fresh kernel (the folder may be empty early on).
test-notebooks: setup
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
		MPLBACKEND=Agg $(PY) -m pytest -q --nbval-lax --nbval-current-env --nbval-cell-timeout=300 -p no:cacheprovider notebooks/; \
	else echo "no notebooks yet: nothing to execute"; fi

test-browser: setup
	$(PY) -m pytest -q tests/browser

# The declared lower bounds, tested: a second venv with every package of requirements.txt at exactly its
# lower bound (">=1.26,<3" becomes "==1.26"), then the core tests and every notebook. The browser tests
# need the same Chromium as `make test` and are left to it.
MIN_VENV := .venv-min
test-min:
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	sed -E 's/^([A-Za-z0-9_.-]+)>=([^,]+),.*/\1==\2/' requirements.txt | grep -v '^-e' > $(MIN_VENV)/lower-bounds.txt
	$(MIN_VENV)/bin/python -m pip install --quiet -r $(MIN_VENV)/lower-bounds.txt
	$(MIN_VENV)/bin/python -m pip install --quiet --no-deps -e .
	MPLBACKEND=Agg $(MIN_VENV)/bin/python -m pytest -q tests --ignore=tests/browser
	MPLBACKEND=Agg $(MIN_VENV)/bin/python -m pytest -q --nbval-lax --nbval-current-env --nbval-cell-timeout=300 \
		-p no:cacheprovider notebooks/

bench: setup
	$(PY) benchmarks/bench_train.py
	$(PY) benchmarks/bench_widgets.py

# The series as static web pages: execute every notebook (the sources stay untouched) and render it to
# artifacts/html/NN_*.html, each widget as a picture of its default view (its figure, title and control
# values), so a page needs no widget JavaScript and shows every figure offline. tools/headless.py executes
# with nbclient like `jupyter nbconvert --execute`, but its Output-widget mimic sends without swallowing the
# wake-up of a cell's reply: with nbconvert, a cell that redrew a widget could wait out its whole timeout
# (issue 15; the cause is in tools/headless.py's docstring). The timeout is nbval's, for a slow machine.
html: setup
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
		env -u MPLBACKEND $(PY) tools/headless.py --timeout 300 --output-dir artifacts/html notebooks/*.ipynb \
		&& echo "rendered series: artifacts/html/"; \
	else echo "no notebooks yet: nothing to render"; fi

# For the instructor: the series with every exercise solved (each stub replaced by the Solution cell after
# its check), executed, in artifacts/solutions/; fails unless every check cell reports correct.
solutions: setup
	MPLBACKEND=Agg $(PY) -m annlib.checks.solutions notebooks artifacts/solutions

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
