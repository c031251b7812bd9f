"""Public Wi-Fi hotspot availability pipeline: the poller loop that feeds the store, its session, the audit hook.

The sample model (:mod:`netcomply.hotspot_samples`) lives in the base, since collectors, compliance, reports and
the store read it; ``poller`` talks to the network and is imported only by the CLI, the audit and the benchmark.
"""
