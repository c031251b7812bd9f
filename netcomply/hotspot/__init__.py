"""Public Wi-Fi hotspot availability: the sample model, the poller loop that feeds the store, the audit hook.

``model`` is imported by every layer (collectors, compliance, reports); ``poller`` talks to the network and is
imported only by the CLI and the benchmark.
"""
