# khuyenhoc — every verb of the project. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help setup add figures reports test test-fast lab bench manifest lint clean

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# What JupyterLab writes into a notebook on save that is not its content, stripped by the
# nbstripout git filter on top of nbstripout's defaults (outputs, execution counts, cell
# timing, widget state): the kernel's language details beyond its name, trust marks.
NB_EXTRA_KEYS := metadata.language_info.codemirror_mode metadata.language_info.file_extension metadata.language_info.mimetype metadata.language_info.nbconvert_exporter metadata.language_info.pygments_lexer metadata.language_info.version cell.metadata.trusted
NBSTRIPOUT_GIT = if [ -d .git ]; then $(BIN)/nbstripout --install --attributes .gitattributes && git config filter.nbstripout.extrakeys "$(NB_EXTRA_KEYS)" || true; fi
# JupyterLab from .venv saves such notebooks already filtered, so `git status` stays clean too.
LAB_HOOK := $(VENV)/etc/jupyter/jupyter_server_config.json
LAB_SETUP = mkdir -p $(dir $(LAB_HOOK)) && echo '{"ContentsManager": {"pre_save_hook": "analysis.dev.labclean.pre_save"}}' > $(LAB_HOOK)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(NBSTRIPOUT_GIT)
	@$(LAB_SETUP)
	@touch $@

setup: $(STAMP) ## create .venv from the lock file (python3 is all it needs); notebooks stay clean in git
	@$(NBSTRIPOUT_GIT)
	@$(LAB_SETUP)

add: $(STAMP) ## add articles: make add FILES="page.html report.docx" [URL=… PUBLISHED=YYYY-MM-DD OUTLET=…]
	@test -n "$(FILES)" || { echo 'usage: make add FILES="a.html b.docx c.pdf d.txt" [URL=…] [PUBLISHED=YYYY-MM-DD] [OUTLET=…]' >&2; exit 2; }
	$(BIN)/khuyenhoc add $(FILES) $(if $(URL),--url "$(URL)") $(if $(PUBLISHED),--published "$(PUBLISHED)") $(if $(OUTLET),--outlet "$(OUTLET)")

figures: $(STAMP) ## extract data/raw → data/processed/figures.csv (+ residue, meta)
	$(BIN)/khuyenhoc extract

reports: figures ## set up, extract, render every report to reports/*.html
	$(BIN)/khuyenhoc render

test: $(STAMP) ## the whole test suite (unit, seeds, notebooks, browser), with coverage
	$(BIN)/python -m pytest --cov --cov-report=term

test-fast: $(STAMP) ## unit tests only
	$(BIN)/python -m pytest tests/unit -q

lab: $(STAMP) ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP) ## benchmarks → reports/benchmarks.json and the README table
	$(BIN)/khuyenhoc bench --readme README.md

manifest: $(STAMP) ## add new raw files to data/raw/MANIFEST.sha256 (never rewrites one)
	$(BIN)/khuyenhoc manifest --update

lint: $(STAMP) ## ruff
	$(BIN)/ruff check analysis tests

clean: ## remove everything rebuildable (data/processed, rendered reports)
	rm -rf data/processed reports/*.html reports/_work reports/.state.json
