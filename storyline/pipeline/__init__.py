"""The pipeline: stage and pass declarations, their registry, the configuration,
the per-document analysis, the local engine, and re-analysis of a stored corpus."""
