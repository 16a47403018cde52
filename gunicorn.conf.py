"""gunicorn settings for production, read from the working directory (`gunicorn wsgi:app`, README).

Python's cyclic garbage collector: a worker's long-lived objects (the app, its templates, SQLAlchemy's
mappers and statement cache) are moved out of the collector's reach once the app is loaded, and the
youngest generation is collected every 50,000 allocations instead of 700. A page listing 500 members
allocates far more than 700 objects, and full collections walking every long-lived object were the
cause of p95 latencies about three times the p50 (docs/BENCHMARKS.md, "of which GC ms").
"""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
