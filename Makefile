# Kalasag: `make run` starts the bot, `make test` runs every check.
# Everything runs in .venv, built with Python 3.10 from requirements.lock.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(PY) -m rasa
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)
# Quieter TensorFlow start-up logs.
export TF_CPP_MIN_LOG_LEVEL := 2

# Eval gates from the foundation issue.
MIN_ACCURACY ?= 0.92
MIN_ACCURACY_FIL ?= 0.88
MIN_IN_LANGUAGE ?= 0.95
MIN_FALLBACK ?= 0.90
MIN_HOTLINES ?= 0.95

.PHONY: help install lock content content-report hotlines-report model run test lint unit validate stories live eval clean record-trackers crossval screenshots bench dependencies

help:  ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed  ## create .venv and install the locked dependencies

$(VENV)/.installed: requirements.lock
	@if [ ! -x $(PY) ]; then \
	  py=""; \
	  for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	    if "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then py="$$p"; break; fi; \
	  done; \
	  if [ -z "$$py" ]; then echo "Python 3.10 is required (Rasa 3.6 does not run on 3.11+)." >&2; exit 1; fi; \
	  echo "creating $(VENV) with $$py"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==24.2
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	touch $@

dependencies: install  ## write docs/dependencies.md: every dependency's licence, copyleft flagged
	$(PY) -m bot.dependencies write

lock:  ## re-resolve requirements.in into requirements.lock
	$(PY) -m pip install --quiet pip-tools==7.4.1
	$(VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file requirements.lock requirements.in
	sed -i 's/^#    pip-compile .*/#    make lock/' requirements.lock

content: install  ## check the vetted content and regenerate the Rasa data from it
	$(PY) -m bot.content build

content-report: install  ## write the content reviewer's document (results/reports/content.md)
	$(PY) -m bot.content report

hotlines-report: install  ## write the hotline reviewer's document (results/reports/hotlines.md)
	$(PY) -m bot.hotlines report

model: content  ## train the model if its data, domain or config changed
	$(PY) -m bot train

run: model  ## start the bot (Rasa :5005, actions :5055, chat page at /chat/)
	$(PY) -m bot run

TEST_STAGES := install lint unit validate model stories live eval

test:  ## run the whole suite, stage by stage, and print each stage's time
	@start=$$(date +%s); times=""; \
	for stage in $(TEST_STAGES); do \
	  began=$$(date +%s); \
	  if ! $(MAKE) --no-print-directory $$stage; then \
	    printf "$$times"; echo "FAILED: make $$stage, after $$(( $$(date +%s) - began )) s"; exit 1; \
	  fi; \
	  times="$$times$$(printf '  %-9s %5d s' $$stage $$(( $$(date +%s) - began )))\n"; \
	done; \
	printf "\nmake test, stage by stage:\n$$times"; echo "  total     $$(( $$(date +%s) - start )) s"

lint: install
	$(PY) -m ruff check .

unit: install  ## fast tests: content, hotlines, crisis rules, actions on recorded trackers
	$(PY) -m bot.content check
	$(PY) -m bot.hotlines check
	$(PY) -m bot.safety
	$(PY) -m bot.dependencies check
	$(PY) -m pytest -q -m "not live"

validate: install
	$(RASA) data validate --quiet

stories: model  ## end-to-end test stories through the trained model
	$(RASA) test --stories tests/ --fail-on-prediction-errors --out results/stories \
	  --model $$($(PY) -c 'from bot import settings, training; print(training.model_path(settings.load()))')

live: model  ## tests against a running bot: the REST contract, the chat page in Chromium
	$(PY) -m pytest -q -m live

eval: install  ## the held-out set through the REST channel
	$(PY) -m bot eval --min-accuracy $(MIN_ACCURACY) --min-fallback $(MIN_FALLBACK) \
	  --min-hotlines $(MIN_HOTLINES) --min-accuracy-fil $(MIN_ACCURACY_FIL) \
	  --min-in-language $(MIN_IN_LANGUAGE) --report results/eval.json

bench: content  ## Kalasag against Rasa's starter bot: latency, throughput, memory, start, training (~40 min)
	$(PY) -m bot.bench $(BENCH_ARGS)

crossval: content  ## k-fold cross-validation of the NLU: F1 and the most-confused topics (slow)
	$(PY) -m bot crossval --folds 3

clean:  ## remove models, results and the venv
	rm -rf $(VENV) models results .rasa .pytest_cache .ruff_cache

screenshots: model  ## the school widget at desktop and phone sizes, into docs/
	$(PY) -m pytest -q -m live tests/e2e/test_widget.py -k screenshots
	cp results/screenshots/widget-desktop.png results/screenshots/widget-phone.png docs/

record-trackers: model  ## re-record the action tests' trackers from a real bot; ONLY="name ..." records only those
	$(PY) tests/actions/record_trackers.py $(ONLY)
