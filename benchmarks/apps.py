from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Synthetic load for benchmarks and scale tests (`generate_load`); installed outside production only."""

    name = "benchmarks"
