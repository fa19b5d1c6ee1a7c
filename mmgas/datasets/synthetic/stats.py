"""Statistics of a generated set against the physics notes' ranges.

Reads the per-image JSON records (``meta/<split>/*.json``) and writes a
Markdown table: contrast in mK and grey levels, plume areas, the share of
thin plumes, gas-background temperature differences, opacities, noise and
display figures, each with the range the physics notes give.
"""
import glob
import json
import os.path as osp
from collections import Counter

import numpy as np

#: Plumes whose strongest part (90th percentile of |dT_app| over their
#: visible pixels) stays below this are "thin" (physics notes: 20-100 mK).
THIN_MK = 100.0


def load_records(data_root, splits=('train', 'val', 'test')):
    """Load the JSON records of the given splits, sorted by file name."""
    records = []
    for split in splits:
        for path in sorted(glob.glob(osp.join(data_root, 'meta', split,
                                              '*.json'))):
            with open(path) as f:
                records.append(json.load(f))
    return records


def _pct(values, unit_scale=1.0, nd=1):
    v = np.asarray([x for x in values if x is not None], float)
    if v.size == 0:
        return '-', '-', '-'
    p = np.percentile(v * unit_scale, [5, 50, 95])
    return tuple(f'{x:.{nd}f}' for x in p)


def _share(flags):
    flags = list(flags)
    return f'{100.0 * np.mean(flags):.1f} %' if flags else '-'


def summarize(records):
    """Rows ``(quantity, p5, median, p95 or share, physics range)``."""
    plumes = [p for r in records for p in r['plumes'] if p['visible_px'] > 0]
    all_plumes = [p for r in records for p in r['plumes']]
    rows = []

    def add(name, cells, ref):
        rows.append((name, ) + tuple(cells) + (ref, ))

    n = len(records)
    with_gas = [r['visible_px'] > 0 for r in records]
    add('images', ('', str(n), ''), '')
    add('images with visible gas', ('', _share(with_gas), ''),
        'real sets: nearly all (IGS 7,390 targets / 6,426 images)')
    add('visible plumes per image with gas',
        _pct([r['num_visible_plumes'] for r in records
              if r['visible_px'] > 0], nd=0), 'several plumes happen')
    add('visible plume area (px)', _pct([p['visible_px'] for p in plumes],
                                        nd=0),
        'tens to hundreds of px common')
    add('plumes < 100 px / < 1000 px',
        ('', _share(p['visible_px'] < 100 for p in plumes),
         _share(p['visible_px'] < 1000 for p in plumes)), '')
    add('abs(T_g - T_b) at visible gas (K)',
        _pct([p['dt_gas_bg_abs'] for p in plumes]),
        '1 ... 20 K, typical 2 ... 10 K')
    add('peak opacity a (at the plume core)',
        _pct([p['peak_opacity'] for p in all_plumes], nd=3),
        '0.005 ... 0.3, small leaks << 0.05')
    add('opacity at visible gas (median per plume)',
        _pct([p['opacity'] for p in plumes], nd=4), '')
    add('apparent contrast, plume core (p90, mK)',
        _pct([p['contrast_p90_mk'] for p in plumes], nd=0),
        '~20 mK ... 3 K')
    add('apparent contrast, median pixel (mK)',
        _pct([p['contrast_mk'] for p in plumes], nd=0), '')
    add(f'thin plumes (core < {THIN_MK:.0f} mK)',
        ('', _share(p['contrast_p90_mk'] < THIN_MK for p in plumes), ''),
        'thin/indiscernible plumes: 20 ... 100 mK')
    add('contrast in grey levels (median pixel)',
        _pct([p['contrast_grey'] for p in plumes], nd=2),
        'weak plume: 1 ... 3 grey levels')
    add('contrast in grey levels (core, p90)',
        _pct([p['contrast_p90_mk'] / r['agc']['mk_per_grey']
              for r in records for p in r['plumes']
              if p['visible_px'] > 0], nd=2), '')
    add('bright (warmer than background) / dark plumes',
        ('', _share(p['bright_share'] > 0.9 for p in plumes),
         _share(p['bright_share'] < 0.1 for p in plumes)),
        'dark or bright by sign')
    add('plumes with contrast reversal (both signs >= 10 %)',
        ('', _share(0.1 <= p['bright_share'] <= 0.9 for p in plumes), ''),
        'one plume can be dark below, bright against the sky')
    add('NETD (mK)', _pct([r['noise']['netd_mk'] for r in records]),
        'cooled MWIR 10 ... 20, uncooled LWIR 30 ... 60')
    add('temporal noise over the scene (median, mK)',
        _pct([r['noise']['netd_scene_mk'] for r in records]),
        'NETD is quoted at 30 degC; cold sky is noisier')
    add('row / column stripes (x NETD)',
        _pct([r['noise']['row_fpn_mk'] / r['noise']['netd_mk']
              for r in records] +
             [r['noise']['col_fpn_mk'] / r['noise']['netd_mk']
              for r in records], nd=2), '0.2 ... 1')
    add('label threshold (median pixel, mK)',
        _pct([r['threshold_mk'] for r in records]),
        '1 ... 2 x NETD; default here: 2 x sqrt(NETD^2 + q^2/12), '
        '>= 3 grey levels, as displayed')
    add('AGC span (K)', _pct([r['agc']['span_k'] for r in records]),
        '5 ... 40 K')
    add('mK per grey level', _pct([r['agc']['mk_per_grey'] for r in records]),
        '20 ... 150 mK')
    add('images with steam / hot exhaust',
        ('', _share(any(d['kind'] == 'steam' for d in r['distractors'])
                    for r in records),
         _share(any(d['kind'] == 'exhaust' for d in r['distractors'])
                for r in records)), 'distractors, not labelled')
    add('images with heat shimmer',
        ('', _share(r['shimmer'] for r in records), ''), 'not labelled')
    layouts = Counter(r['layout'] for r in records)
    add('scene layouts', ('', ', '.join(
        f'{k} {100.0 * v / max(n, 1):.0f} %'
        for k, v in sorted(layouts.items())), ''), '')
    bands = Counter(r['camera']['band'] for r in records)
    add('cameras (MWIR cooled / LWIR uncooled)',
        ('', f"{100.0 * bands.get('mwir', 0) / max(n, 1):.0f} %",
         f"{100.0 * bands.get('lwir', 0) / max(n, 1):.0f} %"), '')
    return rows


def to_markdown(rows, title=None):
    """Format :func:`summarize` rows as a Markdown table."""
    lines = []
    if title:
        lines += [f'### {title}', '']
    lines += [
        '| quantity | p5 | median / share | p95 / share | physics notes |',
        '|---|---|---|---|---|'
    ]
    for row in rows:
        lines.append('| ' + ' | '.join(str(c) for c in row) + ' |')
    return '\n'.join(lines) + '\n'


def video_summary(data_root):
    """Rows about the video sequences (scenarios, visibility vs leak)."""
    seqs = sorted(glob.glob(osp.join(data_root, 'video', 'seq_*',
                                     'sequence.json')))
    if not seqs:
        return []
    infos = []
    for path in seqs:
        with open(path) as f:
            infos.append(json.load(f))
    frames = [fr for info in infos for fr in info['frames']]
    on = [fr['visible_px'] > 0 for fr in frames if fr['leak_on']]
    off = [fr['visible_px'] > 0 for fr in frames if not fr['leak_on']]
    scen = Counter(info['scenario'] for info in infos)
    return [
        ('video sequences', '', str(len(infos)),
         f"{infos[0]['num_frames']} frames each", ''),
        ('scenarios', '', ', '.join(f'{k} {v}'
                                    for k, v in sorted(scen.items())), '',
         'leaks start and stop'),
        ('frames with visible gas: leak on / leak off', '', _share(on),
         _share(off), 'gas drifts on after the source stops'),
    ]


def write_stats(data_root, out_path, splits=('train', 'val', 'test')):
    """Write the Markdown statistics of a generated set to ``out_path``."""
    records = load_records(data_root, splits)
    if not records:
        raise FileNotFoundError(f'no records under {data_root}/meta')
    text = to_markdown(summarize(records) + video_summary(data_root),
                       title=f'{data_root} ({", ".join(splits)})')
    with open(out_path, 'w') as f:
        f.write(text)
    return text
