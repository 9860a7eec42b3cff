"""A toy layer, declared the way any layer package declares itself: hedging words
("reportedly", "allegedly") found by a fake component. Registered by the tests
that use it (a real package would list its module in `spinlens.layers.BUILTIN` or
under the ``spinlens.layers`` entry point group)."""
