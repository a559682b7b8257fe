"""Build the docs site from the notebooks: every chapter a page with its prose, code, outputs and images.

    python tools/docs.py             # stage the pages in build/docs_src, build the site into build/site, check it
    python tools/docs.py --serve     # the same pages, served by mkdocs on 127.0.0.1:8000 while you edit

The site is MkDocs (Material theme) with mkdocs-jupyter rendering the notebooks as they are stored (not executed):
`pip install -e ".[docs]"`. The staging step copies `nbs/` (notebooks and images), the lab's README, notebook and
images, CONTRIBUTING.md and CHANGELOG.md, and rewrites the links that `nbs/index.ipynb` writes for the README (relative
to the repository's root) to the site's layout. The build runs with `--strict`, so a warning fails it, and then every
local link and image of every page (href and src) must name a file of the site: a broken one fails the build too.
"""
import html.parser, json, re, shutil, subprocess, sys
from pathlib import Path
from urllib.parse import unquote, urlparse
from readme import DIRECTIVE, hidden           # (tools/readme.py: what a reader of a notebook is shown)

ROOT = Path(__file__).resolve().parent.parent
SRC, SITE = ROOT / 'build' / 'docs_src', ROOT / 'build' / 'site'
README_LINKS = {'](nbs/images/': '](images/', '](lab/README.md': '](lab/index.html', '](CONTRIBUTING.md': '](contributing.html',
                '](CHANGELOG.md': '](changelog.html'}      # (notebook pages are rendered whole: their links are not rewritten by mkdocs)
_CHAPTER_LINK = re.compile(r'\]\(nbs/([\w.-]+)\.ipynb\)')           # a chapter, linked from the README: its page

def page(nb_text: str) -> str:
    "A notebook as its page shows it: `#| hide` cells left out, nbdev's directives (`#| export`, ...) taken off the code."
    nb = json.loads(nb_text)
    cells = []
    for c in nb['cells']:
        if c['cell_type'] == 'code':
            lines = ''.join(c['source']).splitlines(keepends=True)
            if hidden(lines): continue
            code = ''.join(l for l in lines if not DIRECTIVE.match(l)).strip('\n')
            if not code and not c.get('outputs'): continue
            c = dict(c, source=code)
        cells.append(c)
    return json.dumps(dict(nb, cells=cells), ensure_ascii=False)

def stage() -> Path:
    "Copy what the site shows into SRC, with the README's links rewritten for the site."
    shutil.rmtree(SRC, ignore_errors=True)
    (SRC / 'lab').mkdir(parents=True)
    for nb in sorted((ROOT / 'nbs').glob('*.ipynb')):
        text = nb.read_text(encoding='utf-8')
        if nb.name == 'index.ipynb':
            for a, b in README_LINKS.items(): text = text.replace(a, b)
            text = _CHAPTER_LINK.sub(r'](\1.html)', text)
        (SRC / nb.name).write_text(page(text), encoding='utf-8')
    shutil.copytree(ROOT / 'nbs' / 'images', SRC / 'images')
    shutil.copytree(ROOT / 'lab' / 'images', SRC / 'lab' / 'images')
    for nb in (ROOT / 'lab').glob('*.ipynb'):
        (SRC / 'lab' / nb.name).write_text(page(nb.read_text(encoding='utf-8').replace('](../nbs/images/', '](../images/')), encoding='utf-8')
    lab = (ROOT / 'lab' / 'README.md').read_text(encoding='utf-8')
    (SRC / 'lab' / 'index.md').write_text(lab, encoding='utf-8')   # (a markdown page: mkdocs checks and rewrites its links)
    for name in ('CONTRIBUTING.md', 'CHANGELOG.md'): shutil.copy(ROOT / name, SRC / name.lower())
    (SRC / 'extra.css').write_text(CSS, encoding='utf-8')
    return SRC

CSS = """/* notebooks read as pages: no In/Out prompts */
.jupyter-wrapper .jp-InputPrompt, .jupyter-wrapper .jp-OutputPrompt { display: none !important; }
"""

class _Links(html.parser.HTMLParser):
    def __init__(self): super().__init__(); self.links = []
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ('href', 'src') and v: self.links.append(v)

def broken_links(site: Path = SITE) -> list[str]:
    "Every local href or src of the site's pages that names no file of the site, as 'page: link'."
    bad = []
    for page in sorted(site.rglob('*.html')):
        p = _Links(); p.feed(page.read_text(encoding='utf-8', errors='replace'))
        for link in p.links:
            u = urlparse(link)
            if u.scheme or u.netloc or link.startswith(('#', 'mailto:', 'data:', 'javascript:')): continue
            if not u.path: continue
            target = (site / unquote(u.path).lstrip('/')) if u.path.startswith('/') else (page.parent / unquote(u.path))
            target = target.resolve()
            if target.is_dir(): target = target / 'index.html'
            if not target.exists(): bad.append(f"{page.relative_to(site)}: {link}")
    return bad

def build() -> int:
    stage()
    r = subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--strict', '-f', str(ROOT / 'mkdocs.yml'), '-d', str(SITE)],
                       capture_output=True, text=True)
    warnings = [l for l in (r.stdout + r.stderr).splitlines() if re.match(r'\s*(WARNING|ERROR)', l)]
    for l in warnings: print(l)
    if r.returncode: print(r.stderr[-3000:]); return r.returncode
    bad = broken_links()
    for b in bad: print(f"broken link: {b}")
    pages = len(list(SITE.rglob('*.html')))
    print(f"docs: {pages} pages in {SITE.relative_to(ROOT)}, {len(warnings)} warning(s), {len(bad)} broken link(s)")
    return 1 if warnings or bad else 0

if __name__ == '__main__':
    if '--serve' in sys.argv:
        stage(); sys.exit(subprocess.run([sys.executable, '-m', 'mkdocs', 'serve', '-f', str(ROOT / 'mkdocs.yml')]).returncode)
    sys.exit(build())
