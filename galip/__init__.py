"""galip: GALIP (Generative Adversarial CLIPs) as a literate, tested library.

`from galip import GALIP, GALIPConfig` imports lazily, so `import galip` (and the `galip` command's
start-up) does not pay for torch and open_clip until they are needed. `GALIP` comes with every method its
chapters give it: `generate` (09_sample), `fast_generator` (07_fast) and `export_onnx` (07b_export) are defined there, on the class.
"""
__version__ = "0.0.1"

_lazy = {'GALIP': 'galip.model', 'GALIPConfig': 'galip.core', 'from_official': 'galip.convert'}
_methods = ('galip.sample', 'galip.fast', 'galip.export')     # the chapters that add methods to GALIP
__all__ = list(_lazy)


def __getattr__(name):
    if name in _lazy:
        import importlib
        if name != 'GALIPConfig':
            for m in _methods: importlib.import_module(m)
        return getattr(importlib.import_module(_lazy[name]), name)
    raise AttributeError(f"module 'galip' has no attribute {name!r}")
