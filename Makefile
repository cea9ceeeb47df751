# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The platforms' own validators (Teams manifest, Adaptive Cards, Slack types), run by the tests.
NODE_DIR := validators
NODE_STAMP := $(NODE_DIR)/node_modules/.installed

.PHONY: run test lint bench demo clean validators

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing Rampe and its development tools into $(VENV) ..."
	@$(BIN)/python -m pip install --disable-pip-version-check --upgrade pip > $(VENV)/install.log 2>&1 \
		|| (cat $(VENV)/install.log; exit 1)
	@$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' >> $(VENV)/install.log 2>&1 \
		|| (cat $(VENV)/install.log; exit 1)
	@touch $(STAMP)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@echo "Installing the platforms' validators into $(NODE_DIR)/node_modules (npm ci) ..."
	@cd $(NODE_DIR) && npm ci --no-audit --no-fund > install.log 2>&1 || (cat install.log; exit 1)
	@touch $(NODE_STAMP)

## run: start Rampe (a local chat on an embedded SQLite database when nothing is configured)
run: $(STAMP)
	@$(BIN)/rampe $(ARGS)

## test: lint, type-check and run every test on SQLite and PostgreSQL
test: $(STAMP) $(NODE_STAMP) lint
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

## validators: install the platforms' validators the tests run (Node.js and npm)
validators: $(NODE_STAMP)

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy .

## bench: the performance benchmarks, printing figures and ratios
bench: $(STAMP)
	@$(BIN)/python -m bench $(ARGS)

demo: $(STAMP)
	@$(BIN)/rampe demo

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules .pytest_cache .mypy_cache .ruff_cache
