"""Article → rows: decoding, numbers, cue tables, places, periods, the article reader, the batch pipeline, curation."""
