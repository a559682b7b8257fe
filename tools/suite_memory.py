"""Run a command and report the peak memory of it and all its child processes together: the sum of their proportional
set sizes (PSS: a page shared by n processes counts 1/n in each), sampled every second (--every) from /proc; also each
process's own peak and the largest Python processes at the overall peak.

Run: python tools/suite_memory.py [--json FILE] -- OMP_NUM_THREADS=1 nbdev-test"""
import argparse, json, os, shlex, subprocess, sys, time
from pathlib import Path

def tree(root: int) -> list[int]:
    "`root` and its descendants (from /proc's parent links)."
    kids = {}
    for p in Path('/proc').iterdir():
        if p.name.isdigit():
            try: ppid = int((p / 'stat').read_text().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError): continue
            kids.setdefault(ppid, []).append(int(p.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop(); out.append(pid); todo += kids.get(pid, [])
    return out

def pss_mb(pid: int) -> float:
    try:
        for line in Path(f'/proc/{pid}/smaps_rollup').read_text().splitlines():
            if line.startswith('Pss:'): return int(line.split()[1]) / 1024
    except OSError: pass
    return 0.0

def rss_mb(pid: int, private: bool = False) -> float:
    "Resident memory of a process (cheap to read: /proc/PID/statm); `private`: without its resident file pages (the libraries)."
    try: size, resident, shared, *_ = map(int, Path(f'/proc/{pid}/statm').read_text().split())
    except (OSError, ValueError): return 0.0
    return (resident - shared if private else resident) * os.sysconf('SC_PAGE_SIZE') / 2 ** 20

def name(pid: int) -> str:
    try: return Path(f'/proc/{pid}/cmdline').read_bytes().replace(b'\0', b' ').decode()[:80].strip()
    except OSError: return '?'

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--json', type=Path, help="also write the figures to this file")
    ap.add_argument('--every', type=float, default=1.0, help="seconds between samples (default: %(default)s; reading PSS costs CPU)")
    ap.add_argument('command', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ['--'] else a.command
    t0 = time.time()
    proc = subprocess.Popen(['bash', '-c', ' '.join(cmd)])
    peak, at_peak, own = 0.0, [], {}
    while proc.poll() is None:
        sizes = {pid: pss_mb(pid) for pid in tree(proc.pid)}
        total = sum(sizes.values())
        for pid, mb in sizes.items(): own[pid] = max(own.get(pid, 0.0), mb)
        if total > peak: peak, at_peak = total, [(mb, name(pid)) for mb, pid in sorted(((mb, pid) for pid, mb in sizes.items()), reverse=True)[:4]]
        time.sleep(a.every)
    res = dict(command=' '.join(cmd), exit_status=proc.returncode, seconds=round(time.time() - t0), peak_total_mb=round(peak),
               at_peak=[dict(mb=round(mb), process=what) for mb, what in at_peak],
               largest_processes_mb=sorted((round(v) for v in own.values()), reverse=True)[:6])
    print(json.dumps(res, indent=1))
    if a.json: a.json.parent.mkdir(parents=True, exist_ok=True); a.json.write_text(json.dumps(res, indent=1) + '\n')
    sys.exit(proc.returncode)
