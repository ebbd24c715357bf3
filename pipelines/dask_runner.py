"""Beam's DaskRunner (2.77) with its batch defects fixed, for `--runner=pipelines.dask_runner.DaskRunner`.

    newsbeam run --output /shared/out --runner=pipelines.dask_runner.DaskRunner \\
        --dask_client_address=tcp://HOST:8786

Beam's runner turns each transform into a dask.bag operation but (1) gives every consumer of a
multi-output ParDo all its outputs mixed, (2) drops what `finish_bundle` emits, (3) computes only the
last sink, (4) recomputes a side input inside every task that reads it and (5) groups by key into as
many partitions as its input had, usually one. Here every PCollection is its own bag of
WindowedValues, all sinks are computed in one graph, a side input is one task every reader depends
on, and GroupByKey and Reshuffle spread their output over the cluster's threads. A ParDo's partition
j runs on the worker of the cluster's thread j (see `_placement`). Beam's metrics are counted per
bundle and come back with the result. State, timers, non-global windows and unbounded input are
refused before anything runs.

A lost task is re-run by Dask from the same inputs: every partition's contents and order are a
function of its inputs only (no Python `hash`, no clock), so a sink that names its files by their
bytes, as newsbeam's writer does, writes the same files again rather than duplicate rows; and a
bundle's metrics are its task's result, so a re-run bundle is counted once.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import operator
import threading
import zlib

import apache_beam as beam
from apache_beam.coders import registry
from apache_beam.internal import pickler
from apache_beam.io.iobase import BoundedSource
from apache_beam.metrics.execution import MetricsContainer
from apache_beam.pipeline import PipelineVisitor, PTransformOverride
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, Receiver, _OutputHandler
from apache_beam.runners.dask import dask_runner
from apache_beam.runners.dask.overrides import _Create, _Flatten, _GroupByKeyOnly, _Read, _Reshuffle, dask_overrides
from apache_beam.runners.direct.direct_metrics import DirectMetrics
from apache_beam.runners.runner import PipelineState
from apache_beam.runners.worker import statesampler
from apache_beam.transforms import userstate
from apache_beam.transforms.combiners import LiftedCombinePerKey
from apache_beam.transforms.sideinputs import SideInputMap
from apache_beam.transforms.window import GlobalWindow, GlobalWindows
from apache_beam.typehints import trivial_inference
from apache_beam.utils.counters import CounterFactory
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from schemas.errors import UsageError

DaskOptions = dask_runner.DaskOptions  # --dask_client_address, --dask_npartitions, ...
_INSTEAD = "use --runner FnApiRunner (in-process) or DirectRunner (Prism)"


class _MetricsTag:
    """The tag of a bundle's metric updates among its outputs: a class, so it pickles as itself."""


class UnsupportedOnDask(UsageError, NotImplementedError):
    """A pipeline that needs what the Dask runner lacks; `newsbeam` shows the message as one line."""


def refuse_unsupported(pipeline: beam.Pipeline) -> None:
    """Raises, naming the first transform, before a cluster is touched: these would run wrong, not fail."""

    class Check(PipelineVisitor):
        def visit_transform(self, node):
            transform, label = node.transform, node.full_label
            if isinstance(transform, beam.ParDo):
                state, timers = userstate.get_dofn_specs(transform.fn)
                if state or timers:
                    what = "state" if state and not timers else "timers" if timers and not state else "state and timers"
                    raise UnsupportedOnDask(f"the Dask runner does not support stateful DoFns "
                                            f"(transform {label} uses {what}); {_INSTEAD}")
                if DoFnSignature(transform.fn).is_splittable_dofn():
                    raise UnsupportedOnDask(f"the Dask runner does not support splittable DoFns "
                                            f"(transform {label}); {_INSTEAD}")
            if isinstance(transform, beam.WindowInto):
                windowing = transform.get_windowing(None)
                if not isinstance(windowing.windowfn, GlobalWindows) or not windowing.is_default():
                    raise UnsupportedOnDask(f"the Dask runner does not support windows or triggers (transform "
                                            f"{label} uses {type(windowing.windowfn).__name__}); {_INSTEAD}")
            unbounded_read = isinstance(transform, _Read) and not isinstance(transform.source, BoundedSource)
            for output in node.outputs.values():
                if unbounded_read or isinstance(output, beam.PCollection) and not output.is_bounded:
                    raise UnsupportedOnDask(f"the Dask runner runs batch pipelines only (transform {label} "
                                            f"gives an unbounded PCollection); {_INSTEAD}")

    pipeline.visit(Check())


class _LiftCombiners(PTransformOverride):
    """CombinePerKey (CombineGlobally too) as each bundle's partial combine per key, a GroupByKey of those
    accumulators and a merge, as FnApiRunner and Beam's DirectRunner lift it. Unlifted, every value
    crosses the shuffle, and a CombineGlobally's, all under one key, lands whole on one worker."""

    def matches(self, applied_ptransform):
        return (isinstance(applied_ptransform.transform, beam.CombinePerKey)
                and applied_ptransform.inputs[0].windowing.is_default())

    def get_replacement_transform_for_applied_ptransform(self, applied_ptransform):
        transform = applied_ptransform.transform
        try:
            return LiftedCombinePerKey(transform.fn, transform.args, transform.kwargs)
        except NotImplementedError:  # ten side inputs or more: left as it is
            return transform


class DaskRunner(dask_runner.DaskRunner):
    """Beam's DaskRunner with its own translation: one bag per PCollection, every sink computed."""

    def run_pipeline(self, pipeline, options):
        import dask
        from dask import delayed, distributed

        # CombinePerKey first: its lifted form holds a GroupByKey that the overrides after it replace
        pipeline.replace_all([_LiftCombiners(), *dask_overrides()])  # Create, Read, GroupByKey, ... as below
        refuse_unsupported(pipeline)
        dask_options = options.view_as(DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = DaskOptions._extract_bag_kwargs(dask_options)
        client = distributed.Client(**dask_options)
        try:
            slots = _slots(client.nthreads())
            translation = _Translation(bag_kwargs.get("npartitions") or max(len(slots), 1),
                                       bag_kwargs.get("partition_size"))
            pipeline.visit(translation)
            # Every PCollection nobody reads is a sink's end: all of them in one graph, so that what they
            # share runs once. Not optimised: Dask's blockwise fusion copies a task read by two others
            # into both, which would run a ParDo once per reader. Only sizes and metrics come back.
            counts = [delayed(len)(part) for bag in translation.sinks() for part in bag.to_delayed(False)]
            updates = [part for bag in translation.metered for part in bag.to_delayed(False)]
            with dask.annotate(workers=_placement(translation.bundles, slots), allow_other_workers=True):
                done = client.compute(delayed(_finish)(counts, updates), optimize_graph=False)
            return DaskResult(client, [done])
        except BaseException:
            client.close()
            raise


def _finish(counts, updates) -> list:
    return [update for part in updates for update in part]


def _slots(nthreads: dict[str, int]) -> list[str]:
    """Each worker's address once per thread it has, the workers in address order."""
    return [address for address in sorted(nthreads) for _ in range(nthreads[address])]


def _placement(bundles: list, slots: list[str]) -> _Placement:
    """Partition j of every ParDo to the worker of slot j (loosely: Dask may still move it).

    Left to itself, Dask's scheduler runs a task on a worker that holds one of its inputs, and moves a
    queued task to an idle worker only if it expects the move to pay, which it judges from the
    durations of tasks of the same kind it has already seen. A GroupByKey's partitions can all end on
    the worker that grouped them, and then the long ParDos after them (the NER) run one after the
    other there while the other worker idles. Pinned by index, the partitions of a stage start on
    distinct workers; a worker that is gone (killed, restarted under a new address) frees its slot's
    tasks for the others, and Dask's work stealing may still move a task whose worker is busy.
    """
    return _Placement({key: slots[j % len(slots)] for bag in bundles for j, key in enumerate(bag.__dask_keys__())}
                      if slots else {})


@dataclasses.dataclass(frozen=True)
class _Placement:
    """The `workers` annotation of every task of a run: a ParDo's bundle to its slot's worker, the rest
    (shuffles, side inputs, reads) where Dask likes, near their inputs. Called by the scheduler."""

    workers: dict  # task key -> worker address

    def __call__(self, key) -> list[str]:
        address = self.workers.get(key)
        return [address] if address else []  # no address: no restriction


class DaskResult(dask_runner.DaskRunnerResult):
    """Waits without failing on a timeout, closes its client when done; metrics once done."""

    def __post_init__(self):
        super().__post_init__()
        self._metrics = DirectMetrics()  # empty until the run is done, and if it failed

    def wait_until_finish(self, duration=None):
        from dask import distributed

        if self._state in (PipelineState.DONE, PipelineState.FAILED, PipelineState.CANCELLED):
            return self._state
        try:
            distributed.wait(self.futures, timeout=None if duration is None else duration / 1000)
        except TimeoutError:
            return self._state
        try:
            for update in self.client.gather(self.futures[0]):  # raises a task's exception here
                self._metrics.commit_logical(None, update)
                self._metrics.commit_physical(None, update)
            self._state = PipelineState.DONE
        except BaseException:
            self._state = PipelineState.FAILED
            raise
        finally:
            self.client.close()
        return self._state

    def metrics(self):
        return self._metrics


class _Translation(PipelineVisitor):
    """Each primitive transform to dask.bag operations; `bags` maps every PCollection to its bag."""

    def __init__(self, parallelism: int, partition_size: int | None):
        self.parallelism, self.partition_size = parallelism, partition_size
        self.bags, self.read, self.side_values = {}, set(), {}
        self.metered = []  # per ParDo, a bag of its bundles' metric updates
        self.bundles = []  # per ParDo, the bag of its bundles' outputs (a task per partition)

    def sinks(self):
        return [bag for pcoll, bag in self.bags.items() if pcoll not in self.read]

    def visit_transform(self, node):
        from dask import bag as db

        transform = node.transform
        inputs = [self.bags[p] for p in node.main_inputs.values() if isinstance(p, beam.PCollection)]
        self.read.update(node.main_inputs.values())
        self.read.update(side.pvalue for side in node.side_inputs)
        if isinstance(transform, _Create | beam.Impulse):
            values = transform.values if isinstance(transform, _Create) else [b""]
            out = self._sequence([WindowedValue(v, MIN_TIMESTAMP, (GlobalWindow(),)) for v in values])
        elif isinstance(transform, _Read):
            splits = list(transform.source.split(desired_bundle_size=64 << 20))
            out = self._sequence(splits, npartitions=max(len(splits), 1)).map_partitions(_read_splits)
        elif isinstance(transform, _Flatten):
            out = db.concat(inputs) if inputs else db.from_sequence([], npartitions=1)
        elif isinstance(transform, _Reshuffle):
            out = _shuffle(inputs[0], self.parallelism, None)
        elif isinstance(transform, _GroupByKeyOnly):
            key_type, _ = trivial_inference.key_value_types(next(iter(node.main_inputs.values())).element_type)
            out = _shuffle(inputs[0], self.parallelism, registry.get_coder(key_type))
        elif isinstance(transform, beam.ParDo):  # GroupAlsoByWindow and WindowInto too
            return self._par_do(node, inputs[0])
        else:
            raise UnsupportedOnDask(f"the Dask runner cannot run {type(transform).__name__} "
                                    f"(transform {node.full_label}); {_INSTEAD}")
        (output,) = node.outputs.values()
        self.bags[output] = out

    def _sequence(self, items, npartitions=None):
        from dask import bag as db

        if self.partition_size and npartitions is None:
            return db.from_sequence(items, partition_size=self.partition_size)
        return db.from_sequence(items, npartitions=npartitions or max(1, min(len(items), self.parallelism)))

    def _par_do(self, node, bag):
        """Every output gets only its own tag; a partition count below the cluster's is raised here."""
        from dask import delayed

        transform = node.transform
        spec = _Spec(node.full_label, tuple(node.outputs), pickler.dumps((
            transform.fn, transform.args, transform.kwargs, GlobalWindows(),  # the only windows let through
            [(type(side), side._view_options()) for side in node.side_inputs])))
        sides = [self._side_value(side.pvalue) for side in node.side_inputs]
        tagged = bag.map_partitions(_bundle, delayed(spec, pure=True), *sides, token=_task_name(node.full_label))
        self.bundles.append(tagged)
        self.metered.append(tagged.map_partitions(_select, _MetricsTag))
        if bag.npartitions < self.parallelism:
            tagged = _shuffle(tagged, self.parallelism, None)
        for tag, output in node.outputs.items():
            self.bags[output] = tagged.map_partitions(_select, tag)

    def _side_value(self, pcoll):
        """A side input is one task: its readers depend on it and Dask computes it once."""
        from dask import delayed

        if pcoll not in self.side_values:
            parts = self.bags[pcoll].to_delayed(optimize_graph=False)
            self.side_values[pcoll] = delayed(_concat, pure=True)(parts)
        return self.side_values[pcoll]


def _task_name(label: str) -> str:
    """A ParDo's tasks are named by its label (Enrich/Analyse/...), as the dashboard and task stream show them."""
    return "".join(c if c.isalnum() or c in "/_." else "_" for c in label)


@dataclasses.dataclass(frozen=True)
class _Spec:
    """What a task needs to run one ParDo: its label, output tags and Beam-pickled DoFn and arguments."""

    label: str
    tags: tuple
    payload: bytes


# (label, payload, thread) -> a set-up DoFn: setup() once per worker thread, not once per bundle
_LIVE: dict[tuple[str, bytes, int], tuple] = {}
_LIVE_MAX = 256  # a long-lived cluster runs many pipelines: the oldest DoFns are torn down


def _bundle(elements, spec: _Spec, *side_values) -> list[tuple]:
    """One partition through one ParDo, as one bundle; returns (tag, WindowedValue) pairs, finish_bundle's too."""
    key = (spec.label, spec.payload, threading.get_ident())
    if key not in _LIVE:
        while len(_LIVE) >= _LIVE_MAX:
            _teardown(_LIVE.pop(next(iter(_LIVE)))[0])
        fn, args, kwargs, window_fn, views = pickler.loads(spec.payload)
        fn.setup()
        _LIVE[key] = fn, DoFnSignature(fn), args, kwargs, window_fn, views
    fn, signature, args, kwargs, window_fn, views = _LIVE[key]
    out: list[tuple] = []
    metrics = MetricsContainer(spec.label)
    receivers = _Receivers({tag: _Collect(out, tag) for tag in spec.tags})
    handler = _OutputHandler(window_fn, receivers[None], receivers, None, None, False, False)
    finalizer = beam.DoFn.BundleFinalizerParam()
    sides = [SideInputMap(view, options, values) for (view, options), values in zip(views, side_values, strict=True)]
    invoker = DoFnInvoker.create_invoker(
        signature, handler, context=DoFnContext(spec.label, state=None), side_inputs=sides,
        input_args=list(args), input_kwargs=dict(kwargs), user_state_context=None, bundle_finalizer_param=finalizer)
    try:
        with _counting_into(spec.label, metrics):
            invoker.invoke_start_bundle()
            for element in elements:
                invoker.invoke_process(element)
            invoker.invoke_finish_bundle()  # Beam's runner collected the outputs before this
    except BaseException:
        _LIVE.pop(key, None)  # a failed bundle's DoFn is not reused
        _teardown(fn)
        raise
    finalizer.finalize_bundle()
    return [*out, (_MetricsTag, metrics.get_cumulative())]


@contextlib.contextmanager
def _counting_into(label: str, metrics: MetricsContainer):
    """Routes a DoFn's Metrics calls to this bundle's container. A new sampler each bundle: a sampler
    keeps the first container it was given for a step, and would count every later bundle into it."""
    sampler = statesampler.StateSampler("dask", CounterFactory())
    statesampler.set_current_tracker(sampler)
    try:
        with sampler.scoped_state(label, "process", metrics_container=metrics):
            yield
    finally:
        statesampler.set_current_tracker(None)


@atexit.register
def _teardown_all():
    while _LIVE:
        _teardown(_LIVE.popitem()[1][0])


def _teardown(fn):
    try:
        fn.teardown()
    except Exception:  # noqa: BLE001 - teardown is best effort, as on every runner
        pass


class _Collect(Receiver):
    def __init__(self, out: list, tag):
        self.out, self.tag = out, tag

    def receive(self, windowed_value):
        self.out.append((self.tag, windowed_value))


class _Receivers(dict):
    """Output receivers by tag; a tag the transform did not declare is dropped, as FnApiRunner does."""

    def __missing__(self, tag):
        return _Collect([], tag)


def _select(pairs, tag) -> list:
    return [value for t, value in pairs if t == tag]


def _concat(parts) -> list:
    return [value for part in parts for value in part]


def _read_splits(splits) -> list:
    return [WindowedValue(value, MIN_TIMESTAMP, (GlobalWindow(),))
            for split in splits
            for value in split.source.read(split.source.get_range_tracker(split.start_position, split.stop_position))]


_BUCKETS_PER_PARTITION = 16  # a GroupByKey hashes keys into this many buckets per output partition


def _shuffle(bag, n: int, key_coder):
    """Spreads a bag over `n` partitions: by the key's encoded bytes (GroupByKey: output (key, values),
    grouped as Beam groups, by those bytes), or round robin (key_coder None). Deterministic either way.

    Keys are hashed into many buckets, and the buckets dealt to the partitions by their sizes (only the
    sizes travel to the task that deals them): hashed straight into `n`, 2,225 articles made partitions
    of 1,069 and 1,158, and the worker with the larger one ran the NER ~4 CPU seconds longer while the
    other waited.
    """
    from dask import bag as db
    from dask import delayed

    parts = bag.to_delayed(optimize_graph=False)
    if key_coder is None:
        split = [delayed(_split, pure=True)(part, n, None, i) for i, part in enumerate(parts)]
        pieces = [[delayed(operator.getitem, pure=True)(buckets, j) for buckets in split] for j in range(n)]
        return db.from_delayed([delayed(_concat, pure=True)(column) for column in pieces])
    split = [delayed(_split, pure=True)(part, n * _BUCKETS_PER_PARTITION, key_coder, 0) for part in parts]
    plan = delayed(_deal, pure=True)([delayed(_sizes, pure=True)(buckets) for buckets in split], n)
    pieces = [[delayed(_take, pure=True)(buckets, plan, j) for buckets in split] for j in range(n)]
    return db.from_delayed([delayed(_group, pure=True)(column) for column in pieces])


def _sizes(buckets) -> list[int]:
    return [len(bucket) for bucket in buckets]


def _deal(sizes: list[list[int]], n: int) -> list[list[int]]:
    """The buckets each of `n` partitions takes: the largest bucket first, to the partition holding least."""
    totals = [sum(column) for column in zip(*sizes, strict=True)]
    held, plan = [0] * n, [[] for _ in range(n)]
    for bucket in sorted(range(len(totals)), key=lambda b: (-totals[b], b)):
        j = min(range(n), key=lambda j: (held[j], j))
        plan[j].append(bucket)
        held[j] += totals[bucket]
    return [sorted(buckets) for buckets in plan]


def _take(buckets, plan, j: int) -> list:
    return [pair for b in plan[j] for pair in buckets[b]]


def _split(elements, n: int, key_coder, offset: int) -> tuple:
    buckets = tuple([] for _ in range(n))
    for position, element in enumerate(elements):
        if key_coder is None:
            buckets[(offset + position) % n].append(element)
        else:
            encoded = key_coder.encode(element.value[0])
            buckets[zlib.crc32(encoded) % n].append((encoded, element))
    return buckets


def _group(columns) -> list:
    groups: dict[bytes, tuple] = {}
    for pieces in columns:
        for encoded, element in pieces:
            key, value = element.value
            groups.setdefault(encoded, (key, []))[1].append(value)
    return [WindowedValue(group, MIN_TIMESTAMP, (GlobalWindow(),)) for group in groups.values()]
