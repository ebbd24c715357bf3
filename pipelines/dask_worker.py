"""A Dask worker's preload for newsbeam runs: `dask worker --preload pipelines.dask_worker ...`.

What every task of a run unpickles first (Beam, the Dask runner, the pipeline's transforms, spaCy's
code: ~4 CPU seconds) is imported when the worker starts, not inside the run's first task, where
each worker paid it after the client had sent the graph. Models are not loaded here: a DoFn loads
its model in setup(), once per worker thread, when a run first needs it.
"""

import pipelines.dask_runner  # noqa: F401 - imported for its side effect: the modules in memory
import pipelines.pipeline  # noqa: F401
from transforms.common import tune_allocator

tune_allocator()  # for what the worker allocates from now on (make cluster-up also sets the variable)
