"""The kernel: vocabulary, errors, clock, settings and texts. It imports nothing of ours."""
