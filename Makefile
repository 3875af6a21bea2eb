# teamspace: everyday commands. The virtualenv is `venv`, the same one Pulumi.yaml names.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STACK ?= dev
BASE ?=
PLAN_DIFF_FLAGS ?=
POLICY_TESTS := $(wildcard tests/policy/test_*.py)
# BASE is a branch name in CI, and a name may hold `;`, quotes, backticks or `$(...)`: never
# let make expand or export these as they are, and never put them on a recipe line. Each
# reaches its tool verbatim through an environment variable instead (docs/security.md).
unexport BASE PLAN_DIFF_FLAGS STACK

.PHONY: help venv plan plan-diff image-builds adopt schema test policy sdk-check lint mutation mutation-report bench bench-images standin-base clean

## List the targets, one line each (the first line of the comment above each).
help:
	@awk '/^## /{if (!doc) doc=substr($$0, 4); next} /^#/{next} /^[a-z][a-z-]*:/{if (doc) {split($$0, t, ":"); printf "  %-16s %s\n", t[1], doc}; doc=""; next} {doc=""}' $(MAKEFILE_LIST)

## Create ./venv with the pinned dependencies (requirements-dev.txt).
venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Render stack STACK (default dev) offline, no cluster or engine, into build/<STACK>/.
plan: export TEAMSPACE_STACK := $(value STACK)
plan: venv
	$(PY) -m devtools.plan --stack "$$TEAMSPACE_STACK"

## Diff every stack's plan between BASE (default: origin/main, else HEAD~1) and the working tree.
# BASE and PLAN_DIFF_FLAGS reach the tool verbatim through the environment, not through a
# shell; the tool checks BASE is a commit. The base side's code is executed (devtools/plan_diff.py).
plan-diff: export TEAMSPACE_PLAN_DIFF_BASE := $(value BASE)
plan-diff: export TEAMSPACE_PLAN_DIFF_FLAGS := $(value PLAN_DIFF_FLAGS)
plan-diff: venv
	$(PY) -m devtools.plan_diff --from-env

## Adopt existing notebooks: make adopt FROM="<files or folders>" KUBEFLOW_URL=<url> OUT=<stack file>
## (docs/adopt.md). The values reach the tool through the environment, never the shell's parser;
## FROM is split on whitespace, without globbing. Exit 3 (something refused) shows as make's "Error 3".
adopt: venv
	@set -f; $(PY) -m adopt --kubeflow-url "$$ADOPT_KUBEFLOW_URL" --out "$$ADOPT_OUT" -- $$ADOPT_FROM

adopt: export ADOPT_FROM = $(value FROM)
adopt: export ADOPT_KUBEFLOW_URL = $(value KUBEFLOW_URL)
adopt: export ADOPT_OUT = $(value OUT)
# Only the ADOPT_* copies reach the recipe: exporting the originals would expand them in make.
unexport FROM KUBEFLOW_URL OUT

## Build (never push) every image whose context or build args changed since BASE (default:
## origin/main, else HEAD~1); needs docker. BASE reaches the tool verbatim through the environment.
image-builds: export TEAMSPACE_IMAGE_BUILDS_BASE := $(value BASE)
image-builds: venv
	$(PY) -m devtools.image_builds $${TEAMSPACE_IMAGE_BUILDS_BASE:+--base "$$TEAMSPACE_IMAGE_BUILDS_BASE"}

## Regenerate schemas/stack-config.schema.json and Pulumi.yaml's config: from the config model.
schema: venv
	$(PY) -m devtools.config_schema

## The full test suite (what CI runs), on one pytest-xdist worker per core; sdk_internals tests are left out.
test: venv
	$(PY) -m pytest -q -n auto

## The policy pack's tests: every rule both ways, and over everything the program registers.
policy: venv
	$(if $(POLICY_TESTS),,$(error no tests/policy/test_*.py found))
	$(PY) -m pytest -q $(POLICY_TESTS)

## Tests that drive private SDK internals (pulumi-policy's analyzer servicer and unknown-value
## proxy): run them after an SDK upgrade; they are not in `make test`.
sdk-check: venv
	$(PY) -m pytest -q -m sdk_internals

## Lint and format check (ruff, settings in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

MUTANTS ?=
## Mutation testing (mutmut, settings in pyproject.toml; slow, not part of `make test`).
## Mutants and results go to ./mutants (its git index is HEAD's, so tests that ask git find the files); `$(VENV)/bin/mutmut results` lists survivors.
## MUTANTS='config.quantities.* components.pull_secret.*' runs a part of the scope.
# The index is fetched again at every run: a run resumed after a commit must list that commit's files.
# At a new commit the map of which tests reach which function is collected afresh: resumed on an
# old map, mutmut 3.8.1 had lost the map of whole packages and marked their mutants "no tests".
mutation: venv
	test -d mutants/.git || git init -q mutants
	git -C mutants fetch -q --no-tags "$(CURDIR)" HEAD && git -C mutants read-tree FETCH_HEAD
	test "$$(cat mutants/.stats-commit 2>/dev/null)" = "$$(git rev-parse HEAD)" || { rm -f mutants/mutmut-stats.json && git rev-parse HEAD > mutants/.stats-commit; }
	$(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) -c "import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); print(s)"

## The mutation score tables (docs/mutation/README.md) from ./mutants' results and the verdicts in docs/mutation/.
mutation-report: venv
	$(PY) -m devtools.mutation_report --sample docs/mutation/sample.txt

## Scaling benchmark (not part of the tests).
bench: venv
	$(PY) bench/scaling.py

## What a notebook image rebuild costs, with real builds (root, dockerd or buildah; see bench/README.md).
bench-images: venv
	$(PY) bench/images.py

## The stand-in notebook base the image tests build on (debootstrap, root; cached in build/).
standin-base:
	$(PYTHON) -m tests.integration.standin_base

## Remove build/ and test caches.
clean:
	rm -rf build .pytest_cache mutants
