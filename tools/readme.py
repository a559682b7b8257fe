"""Write README.md from nbs/index.ipynb (or, with --check, fail if README.md is out of date).

nbdev's own `nbdev-readme` renders through Quarto, a separate binary that cannot be installed on
machines without general internet access; this script does the same simple job with the standard
library: markdown cells as they are, code cells as fenced Python, text outputs as fenced text.
Cells marked `#| hide` are skipped; nbdev directives are dropped from the code shown.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NB, OUT = ROOT / 'nbs' / 'index.ipynb', ROOT / 'README.md'
DIRECTIVE = re.compile(r'^\s*#\|')              # an nbdev directive line (#| export, #| hide, ...): not shown


def hidden(lines) -> bool:
    "Whether a code cell's lines mark it `#| hide`: a cell that neither the README nor the docs show."
    return any(re.match(r'^\s*#\|\s*hide\b', l) for l in lines)


def _text(src): return ''.join(src) if isinstance(src, list) else src


def render(nb_path=NB) -> str:
    nb = json.loads(Path(nb_path).read_text())
    parts = ['<!-- Generated from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->']
    for cell in nb['cells']:
        src = _text(cell['source'])
        if cell['cell_type'] == 'markdown':
            parts.append(src.strip())
            continue
        if cell['cell_type'] != 'code': continue
        lines = src.splitlines()
        if hidden(lines): continue
        code = '\n'.join(l for l in lines if not DIRECTIVE.match(l)).strip()
        if code: parts.append(f'```python\n{code}\n```')
        for out in cell.get('outputs', []):
            txt = _text(out.get('text', '')) or _text(out.get('data', {}).get('text/plain', ''))
            if txt.strip(): parts.append(f'```\n{txt.rstrip()}\n```')
    return '\n\n'.join(parts) + '\n'


if __name__ == '__main__':
    new = render()
    if '--check' in sys.argv:
        if not OUT.exists() or OUT.read_text() != new:
            sys.exit('README.md is out of date with nbs/index.ipynb: run `python tools/readme.py`')
        print('README.md is up to date with nbs/index.ipynb')
    else:
        OUT.write_text(new)
        print(f'wrote {OUT.relative_to(ROOT)}')
