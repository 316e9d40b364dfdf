"""Benchmarks: library latency, cold start, HTTP load, soak and threads (``bench/run.py``).

Figures are printed, never asserted: the machines are shared and noisy, so every comparison is
made inside one run (interleaved, or back to back against the same server build).
"""
