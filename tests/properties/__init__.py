"""Properties: invariants checked on generated inputs (hypothesis) and against independent implementations."""
