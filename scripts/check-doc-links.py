#!/usr/bin/env python3
"""Usage: scripts/check-doc-links.py [REPO_ROOT]. Checks every relative link of README.md, CONTRIBUTING.md and docs/**/*.md: the file exists, and an anchor names a
heading of the target (GitHub's slugs). Prints each broken link; exit 1 if any."""
import re, sys, pathlib, collections
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
files = [root/'README.md', root/'CONTRIBUTING.md'] + sorted((root/'docs').rglob('*.md'))
FENCE = re.compile(r'^```.*?^```', re.S | re.M)
LINK = re.compile(r'(?<!!)\[([^\]]*)\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)')
def slugs(md):
    text = FENCE.sub('', md.read_text(encoding='utf-8'))
    seen = collections.Counter(); out = set()
    for m in re.finditer(r'^#{1,6}\s+(.*?)\s*#*\s*$', text, re.M):
        h = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', m.group(1))   # link text only
        s = re.sub(r'[^\w\- ]', '', h.lower().replace('`', '')).replace(' ', '-')
        out.add(s if seen[s] == 0 else f'{s}-{seen[s]}'); seen[s] += 1
    return out
bad = 0; n = 0
for f in files:
    text = FENCE.sub('', f.read_text(encoding='utf-8'))
    text = re.sub(r'`[^`\n]*`', '', text)                      # inline code is not a link
    for m in LINK.finditer(text):
        target = m.group(2) or m.group(3)
        if re.match(r'^[a-z][a-z0-9+.-]*:', target): continue    # http:, https:, mailto:
        n += 1
        path, _, anchor = target.partition('#')
        dest = (f.parent / path).resolve() if path else f
        if not dest.exists():
            print(f'{f.relative_to(root)}: {target}: no such file'); bad += 1; continue
        if anchor:
            if dest.suffix != '.md':
                print(f'{f.relative_to(root)}: {target}: anchor into a non-markdown file'); bad += 1
            elif anchor not in slugs(dest):
                print(f'{f.relative_to(root)}: {target}: no heading #{anchor} in {dest.relative_to(root)}'); bad += 1
print(f'{n} relative links in {len(files)} files, {bad} broken')
sys.exit(1 if bad else 0)
