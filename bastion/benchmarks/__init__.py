"""Benchmarks at city scale (issue 8): a seeded dataset on the real Zhuzhou tree, and the
figures of `bastion bench`, each measured beside its floor in the same run.

A plain package, no models: `dataset` builds the rows with bulk paths, `sheet` writes the
screening sheet, and one small module per benchmark measures one figure.
"""
