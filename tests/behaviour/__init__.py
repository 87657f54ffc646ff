"""Behaviour tests: one part of the pipeline at a time, on small inputs of their own."""
