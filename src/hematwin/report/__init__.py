"""Reports: summaries of simulated cohorts, plots and the artefacts a run writes."""
