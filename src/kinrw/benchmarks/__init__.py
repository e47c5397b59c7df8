"""Benchmarks behind ``kinrw bench`` (bench/README.md): not tests, not production code.

Everything here runs against its own database (``kinrw_bench``), never the
developer's, and is only imported by ``kinrw bench`` and the processes it starts.
"""
