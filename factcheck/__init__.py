"""The Django project: settings, URLs, the WSGI entry point.

One BLAS thread per process, set here because this package is imported before anything loads numpy
(settings come first, for the web workers, `manage.py` and the tests alike): a process is one of
several on the machine, and OpenBLAS's threads waiting for a core made the vector index's product
over 2,048 rows take 16 ms instead of 0.3 ms under load (claims.matching.index). An
OPENBLAS_NUM_THREADS already in the environment is kept.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
