"""policykg's end-to-end benchmark (``python -m benchmarks.run``); see benchmarks/README.md."""
