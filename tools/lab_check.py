"""Check that the lab (lab/) still fits the library: every code cell of its notebooks and every script compiles, and
every name they import from galip exists. The experiments themselves are not run (they train for minutes to hours).

Run: python tools/lab_check.py"""
import ast, importlib, json, sys
from pathlib import Path

LAB = Path(__file__).resolve().parent.parent / 'lab'

def sources():
    "(where, code) for each notebook code cell (IPython magics and shell lines blanked) and each script of the lab."
    for nb in sorted(LAB.glob('*.ipynb')):
        for i, c in enumerate(json.loads(nb.read_text())['cells']):
            if c['cell_type'] == 'code':
                code = ''.join(c['source'])
                yield f'{nb.name} cell {i}', '\n'.join('' if l.lstrip().startswith(('%', '!')) else l for l in code.splitlines())
    for py in sorted(LAB.glob('*.py')): yield py.name, py.read_text()

def problems() -> list[str]:
    out, checked = [], 0
    for where, code in sources():
        try: tree = ast.parse(code)
        except SyntaxError as e: out.append(f'{where}: does not compile ({e.msg}, line {e.lineno})'); continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or '').split('.')[0] == 'galip':
                try: mod = importlib.import_module(node.module)
                except ImportError as e: out.append(f'{where}: {e}'); continue
                for a in node.names:
                    checked += 1
                    if not hasattr(mod, a.name): out.append(f'{where}: {node.module} has no {a.name}')
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split('.')[0] == 'galip':
                        try: importlib.import_module(a.name)
                        except ImportError as e: out.append(f'{where}: {e}')
    if not checked: out.append('no galip import found in the lab: is lab/ where this script expects it?')
    return out

if __name__ == '__main__':
    bad = problems()
    for b in bad: print(b)
    print(f"lab check: {'ok' if not bad else f'{len(bad)} problem(s)'}")
    sys.exit(1 if bad else 0)
