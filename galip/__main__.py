"""`python -m galip ...` (and `torchrun ... -m galip train ...`) runs the `galip` command."""
import sys
from galip.cli import main

sys.exit(main())
