"""``python -m gluteal_bn.cli``: the ``gluteal-bn`` command."""

from . import main

raise SystemExit(main())
