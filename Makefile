# Two commands on a fresh machine: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
SAM_VENV := .venv-sam
CHECKOV_VENV := .venv-checkov
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test lint typecheck template unit workflow scenarios scenario-tests browser bench bench-hostile bench-logs bench-faults bench-accounts asl events clean

# The analyzer, its test tools and the workshop package (devtools/), pinned by constraints.txt.
$(VENV)/.installed: pyproject.toml devtools/pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]' -e ./devtools
	touch $@

# The SAM CLI pins its own boto3 and pydantic, so it lives in a venv of its own.
$(SAM_VENV)/.installed: requirements/sam-cli.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet -r requirements/sam-cli.txt
	touch $@

# checkov pins its own boto3 and pydantic too.
$(CHECKOV_VENV)/.installed: requirements/checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements/checkov.txt
	touch $@

demo: $(VENV)/.installed
	$(BIN)/alarm-analyzer demo $(ARGS)

test: lint typecheck template unit workflow scenario-tests browser

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy layers/analyzer/alarm_analyzer devtools/alarm_devtools

template: $(SAM_VENV)/.installed $(CHECKOV_VENV)/.installed
	SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam validate --lint
	@# Static checks; each check .checkov.yaml skips is explained in the README ("Static checks").
	$(CHECKOV_VENV)/bin/checkov -f template.yaml --config-file .checkov.yaml
	@# The member template (StackSets, every account and region) is plain CloudFormation.
	$(SAM_VENV)/bin/cfn-lint member.yaml
	SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam build
	@# The layer is the analyzer alone: no emulator, no moto, no workshop.
	! find .aws-sam/build/AnalyzerLayer -name moto -o -name alarm_devtools -o -name emulator | grep .

unit: $(VENV)/.installed
	$(BIN)/pytest tests/unit

workflow: $(VENV)/.installed
	$(BIN)/pytest tests/workflow

scenario-tests: $(VENV)/.installed
	$(BIN)/pytest tests/scenarios

# The robustness benchmark: VARIANTS variants of each library scenario (other names, values, wording, noise,
# a missing source) drawn from SEED, one worker per core: accuracy, confident wrong answers, calibration.
VARIANTS ?= 5
SEED ?= 1
scenarios: $(VENV)/.installed
	$(BIN)/alarm-analyzer scenarios --variants $(VARIANTS) --seed $(SEED)

# The HTML report's browser test drives Debian's chromium (Playwright downloads no browser of its own).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(VENV)/.installed $(CHROMIUM)
	$(BIN)/pytest tests/browser

bench: $(VENV)/.installed
	$(BIN)/alarm-analyzer bench

# What reading an alarm in another account and region adds to an analysis: calls, rounds, time.
bench-accounts: $(VENV)/.installed
	$(BIN)/python -m alarm_devtools.accounts_bench

# The state machine definition, from the sources alarm_analyzer/sources.py declares.
asl: $(VENV)/.installed
	$(BIN)/python -m alarm_devtools.workflow

# The sample inputs of every function in events/, from an incident of the emulator.
events: $(VENV)/.installed
	$(BIN)/python -m alarm_devtools.sample_events

# What a 1 MB log line and a 64 KB single token add to each rendering and channel (target < 100 ms).
bench-hostile: $(VENV)/.installed
	$(BIN)/python -m alarm_devtools.hostile_bench

# Faults (throttling, AccessDenied and latency per service) and a storm of 500 events with 20% duplicates
# through the admission queue and the real state machine: reports, gaps, wrong answers, dead letters,
# duplicates published, peak concurrent executions and the API rate per action against its quota.
bench-faults: $(VENV)/.installed
	$(BIN)/python -m alarm_devtools.fault_bench $(ARGS)

# Log signatures against Loghub-2k's ground truth (grouping accuracy, spurious and hidden "new"
# groups; see score.py), then the throughput on 200,000 lines. Not part of `make test`.
LOGHUB ?= ../shared/benchmarks/loghub-2k
bench-logs: $(VENV)/.installed
	@if [ -d $(LOGHUB) ]; then \
		$(BIN)/python $(LOGHUB)/score.py -- $(BIN)/alarm-analyzer signatures --assign && \
		$(BIN)/python -m alarm_devtools.log_throughput $(LOGHUB); \
	else echo "bench-logs: no $(LOGHUB) here, nothing to score"; fi

clean:
	rm -rf $(VENV) $(SAM_VENV) $(CHECKOV_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
