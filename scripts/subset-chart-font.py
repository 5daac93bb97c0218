#!/usr/bin/env python3
"""Rebuilds assets/fonts/ from the dejavu-fonts-ttf dev dependency (needs fontTools: pip install fonttools).

The charts draw every label with DejaVu Sans. resvg shapes each text run against the font's layout tables, so
render time grows with the font: keeping the scripts that names and labels use (Latin, Greek, Cyrillic,
punctuation, arrows, symbols) and dropping hinting (resvg does not hint) roughly halves it.
"""
import os
from fontTools import subset

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, 'node_modules', 'dejavu-fonts-ttf')
TARGET = os.path.join(ROOT, 'assets', 'fonts')
UNICODES = ','.join([
    'U+0020-007E', 'U+00A0-024F',  # Latin, Latin-1, Latin Extended-A/B
    'U+0370-03FF', 'U+0400-052F',  # Greek, Cyrillic
    'U+1E00-1EFF',  # Latin Extended Additional (Vietnamese and others)
    'U+2000-206F', 'U+20A0-20BF', 'U+2100-214F',  # punctuation, currency, letterlike
    'U+2190-21FF', 'U+2200-22FF', 'U+25A0-25FF', 'U+2600-26FF', 'U+2700-27BF',  # arrows, maths, shapes, symbols
])

for name in ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']:
    subset.main([
        os.path.join(SOURCE, 'ttf', name),
        f'--unicodes={UNICODES}',
        '--layout-features=kern,liga,ccmp,locl,mark,mkmk',
        '--no-hinting',
        '--desubroutinize',
        f'--output-file={os.path.join(TARGET, name)}',
    ])
