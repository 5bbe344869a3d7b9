"""Developer tools: benchmarks, the synthetic corpus, scoring."""
