"""Articles in, database out: readers, the model, the pipeline, the store, and the `newsclaims` command."""
