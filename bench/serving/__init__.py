"""The serving benchmark: our endpoint and pages against peers on the same data, in one run."""
