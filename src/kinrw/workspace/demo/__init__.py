"""Demo data for the KI workspaces (``kinrw demo-data``) and the benchmark volume.

Plausible, deterministic German data per KI: the same seed, years, scale and
day give the same records (each KI draws from its own random source, seeded
with the seed and its slug, so the set of KIs in a run does not matter). The
amount follows the KI's population (:func:`~kinrw.workspace.demo.context.demo_volume`).

Decision: generated data is written with bulk inserts through the models, not
through the workspace services. The services validate and audit one record at
a time, which would take hours for the Land's 54 KIs; the generator keeps the
same rules by construction (programmes only in years they run, Gemeinden of
the KI's area, breakdown cells that add up to their total, no counts on
cancelled or future sessions) and the tests check them. Instead of one audit
entry per record, each run writes one entry, by "Demodaten (kinrw demo-data)"
and anchored on the demo KI-Leitung account, that says demo data was
generated and lists the ids it made: the manifest ``--reset`` removes
(:mod:`~kinrw.workspace.demo.manifest`). The demo KI-Leitung account
(``leitung@<slug>.demo.example``) is the marker: a KI that has it is skipped.
"""

from kinrw.workspace.demo.bench import fill_bench
from kinrw.workspace.demo.context import Volume, demo_volume
from kinrw.workspace.demo.manifest import DemoError
from kinrw.workspace.demo.runner import DemoResult, demo_fill, demo_remove
from kinrw.workspace.demo.staff import DEMO_PASSWORD, DEMO_STAFF, demo_email, demo_hash

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_STAFF",
    "DemoError",
    "DemoResult",
    "Volume",
    "demo_email",
    "demo_fill",
    "demo_hash",
    "demo_remove",
    "demo_volume",
    "fill_bench",
]
