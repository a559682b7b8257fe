"""galip: GALIP (Generative Adversarial CLIPs) as a literate, tested library.

`from galip import GALIP, GALIPConfig` imports lazily, so `import galip` (and the `galip` command's
start-up) does not pay for torch and open_clip until they are needed.
"""
__version__ = "0.0.1"

_lazy = {'GALIP': 'galip.model', 'GALIPConfig': 'galip.core', 'from_official': 'galip.convert'}
__all__ = list(_lazy)


def __getattr__(name):
    if name in _lazy:
        import importlib
        return getattr(importlib.import_module(_lazy[name]), name)
    raise AttributeError(f"module 'galip' has no attribute {name!r}")
