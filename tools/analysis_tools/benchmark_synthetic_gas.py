"""Time the synthetic gas generator (no file writing).

Renders ``--num`` images in one process with ``generate_image`` and prints
the wall-clock and CPU time per image with the settings that matter (size,
difficulty, OpenCV/numpy threads, versions). The writer runs this in
``--workers`` processes and adds PNG/JSON writing.

Example::

    OMP_NUM_THREADS=1 python tools/analysis_tools/benchmark_synthetic_gas.py --num 200
"""
import argparse
import os
import os.path as osp
import platform
import sys
import time

# run from a checkout without `pip install -e .`
sys.path.insert(
    0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from mmgas.datasets.synthetic import (generate_image, get_preset,  # noqa
                                      item_seed)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--num', type=int, default=200)
    p.add_argument('--size', default='320x240', help='WxH')
    p.add_argument('--difficulty', default='default')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--cv2-threads', type=int, default=1)
    args = p.parse_args(argv)
    if args.num < 1:
        p.error(f'--num must be at least 1, got {args.num}')
    try:
        w, h = (int(v) for v in args.size.lower().split('x'))
    except ValueError:
        p.error(f'--size takes WxH, e.g. 320x240, not {args.size!r}')
    cv2.setNumThreads(args.cv2_threads)
    preset = get_preset(args.difficulty)
    generate_image(item_seed(args.seed, 'train', 0), w, h, preset)  # warm
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(args.num):
        generate_image(item_seed(args.seed, 'train', i), w, h, preset)
    wall = (time.perf_counter() - t0) / args.num
    cpu = (time.process_time() - c0) / args.num
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    print(f'{args.num} images {w}x{h} ({args.difficulty}), 1 process, '
          f'cv2 threads {args.cv2_threads}, OMP_NUM_THREADS='
          f'{os.environ.get("OMP_NUM_THREADS", "unset")}, '
          f'{os.cpu_count()} CPUs, load average {load:.1f}, '
          f'numpy {np.__version__}, OpenCV {cv2.__version__}, '
          f'Python {platform.python_version()}')
    print(f'wall {1000 * wall:.1f} ms/image ({1 / wall:.1f} images/s), '
          f'CPU {1000 * cpu:.1f} ms/image')


if __name__ == '__main__':
    main()
