"""The only code that reads or writes files; every problem with a file is a DataError.

* :mod:`~gluteal_bn.io.rows` — CSV rows that can point at any of their cells;
* :mod:`~gluteal_bn.io.specification` — a model folder's rows -> checked canonical parameters;
* :mod:`~gluteal_bn.io.numbers` — every number with its provenance, and back to parameters;
* :mod:`~gluteal_bn.io.model_folder` — read, write and find (the bundled) model folders;
* :mod:`~gluteal_bn.io.cases` — the teaching vignettes;
* :mod:`~gluteal_bn.io.case_table` — a CSV file of (labelled) cases, cells as text;
* :mod:`~gluteal_bn.io.atomic` — the one helper that writes a file atomically.

Import from the submodules; this package imports nothing itself.
"""
