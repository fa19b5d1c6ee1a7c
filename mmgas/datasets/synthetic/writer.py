"""Write synthetic sets to disk in the mmseg layout, reproducibly.

Layout under ``out_dir``::

    img_dir/<split>/<split>_<index>.png   8-bit grey frames
    ann_dir/<split>/<split>_<index>.png   masks, 0 = background, 1 = gas
    meta/<split>/<split>_<index>.json     physical parameters
    video/seq_<k>/frames/000000.png ...   (with ``num_videos``)
    video/seq_<k>/masks/000000.png ...
    video/seq_<k>/seq_<k>.mp4             preview (OpenCV mp4v)
    video/seq_<k>/sequence.json           leak on/off per frame
    video/<split>/seq_<k>/...             (with ``video_splits``: sequence
                                          splits for temporal training)
    manifest.json                         parameters + counts
    annotations/instances_<split>.json    COCO gas boxes (with --coco, .coco)

with ``<split>`` in ``train``, ``val``, ``test`` and ``heldout`` (scenes and
cameras the others never contain, see :func:`.presets.get_preset`).

Every image (and video) draws its randomness from
``SeedSequence(seed, spawn_key=(split_code, index))``, so files do not
depend on the number of workers or on the order in which they run: a set is
byte-identical for the same parameters on the same software stack.
"""
import json
import math
import multiprocessing as mp
import os
import os.path as osp
import shutil
import time
import warnings

import cv2
import numpy as np

from .generator import (generate_image, make_record, render_frames,
                        render_image, sample_frame_spec, sample_leaks)
from .motion import sample_motion
from .presets import get_preset

#: Bump when a change alters the generated files (invalidates manifests).
GENERATOR_VERSION = '1.6'
SPLITS = ('train', 'val', 'test', 'heldout')
VIDEO_SPLITS = ('train', 'val', 'test')
SPLIT_CODES = dict(train=0, val=1, test=2, video=3, heldout=4,
                   video_train=5, video_val=6, video_test=7)
_OWNED = ('img_dir', 'ann_dir', 'meta', 'video', 'annotations',
          'manifest.json')
# Fast, deterministic PNG settings (level 3 is ~2x faster than the default
# for a few % more bytes).
_PNG = [cv2.IMWRITE_PNG_COMPRESSION, 3]


def item_seed(seed, split, index):
    """The :class:`numpy.random.SeedSequence` of one image or sequence."""
    return np.random.SeedSequence(int(seed),
                                  spawn_key=(SPLIT_CODES[split], int(index)))


def item_name(split, index):
    return f'{split}_{index:06d}'


def _dump_json(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write('\n')


def _write_png(path, array):
    if not cv2.imwrite(path, array, _PNG):
        raise OSError(f'could not write {path}')


def _image_job(job):
    out_dir, split, index, seed, size, difficulty, overrides = job
    preset = get_preset(difficulty, split, overrides)
    image, mask, record = generate_image(
        item_seed(seed, split, index), size[0], size[1], preset)
    name = item_name(split, index)
    record.update(name=name, split=split, index=index, seed=seed,
                  difficulty=difficulty)
    _write_png(osp.join(out_dir, 'img_dir', split, name + '.png'), image)
    _write_png(osp.join(out_dir, 'ann_dir', split, name + '.png'), mask)
    _dump_json(osp.join(out_dir, 'meta', split, name + '.json'), record)
    return split, int(mask.any())


def rerender_image(data_root, split, index):
    """Render one image of a written set again, with everything the
    renderer knows about it (the gas's own contrast, the labelling
    threshold): the ground truth behind the mask, for analysing a model's
    errors.

    Args:
        data_root (str): A set written by :func:`generate_dataset`.
        split (str): One of :data:`SPLITS`.
        index (int): The image's index in its split.

    Returns:
        dict: :meth:`~.generator.FrameSimulator.render` output; its
        ``image`` equals the file on disk.

    Raises:
        FileNotFoundError: ``data_root`` has no ``manifest.json``.
        ValueError: Another generator version wrote the set, the image is
            not in it, or the file differs from the re-rendering.
    """
    manifest_path = osp.join(data_root, 'manifest.json')
    if not osp.isfile(manifest_path):
        raise FileNotFoundError(
            f'{manifest_path} not found: {data_root} was not written by '
            'the synthetic generator, so its frames cannot be re-rendered')
    with open(manifest_path) as f:
        params = json.load(f)['params']
    if params['generator_version'] != GENERATOR_VERSION:
        raise ValueError(
            f'{data_root} was written by generator '
            f'{params["generator_version"]}, this is {GENERATOR_VERSION}: '
            'regenerate the set (generate_synthetic_gas.py --overwrite)')
    count = params['counts'].get(split, 0)
    if not 0 <= index < count:
        raise ValueError(f'{data_root} has no image {index} in split '
                         f'{split!r} ({count} images)')
    preset = get_preset(params['difficulty'], split, params.get('overrides'))
    width, height = params['size']
    out, _ = render_image(item_seed(params['seed'], split, index), width,
                          height, preset)
    path = osp.join(data_root, 'img_dir', split,
                    item_name(split, index) + '.png')
    disk = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if disk is None or not np.array_equal(disk, out['image']):
        raise ValueError(
            f'{path} differs from its re-rendering (edited, or written on '
            'another software stack)')
    return out


def leak_schedule(rng, n_frames):
    """Per-frame emission of a sequence and its leak intervals.

    Scenarios: leaking throughout, starting, stopping, a pulse (start and
    stop) or no leak at all, so alarm logic sees onsets and ends.

    Returns:
        tuple[str, list[bool], list[list[int]]]: Scenario, per-frame
        ``leak_on`` and half-open ``[start, stop)`` intervals.
    """
    kind = str(
        rng.choice(['continuous', 'onset', 'stop', 'pulse', 'none'],
                   p=[0.2, 0.25, 0.2, 0.25, 0.1]))
    lo, hi = max(n_frames // 6, 1), max(n_frames - n_frames // 6, 2)
    if kind == 'continuous':
        start, stop = 0, n_frames
    elif kind == 'onset':
        start, stop = int(rng.integers(lo, hi)), n_frames
    elif kind == 'stop':
        start, stop = 0, int(rng.integers(lo, hi))
    elif kind == 'pulse':
        a, b = sorted(rng.choice(np.arange(lo, hi + 1), 2, replace=False))
        start, stop = int(a), int(b)
    else:
        start = stop = 0
    on = [start <= t < stop for t in range(n_frames)]
    intervals = [[start, stop]] if stop > start else []
    return kind, on, intervals


def _video_job(job):
    (out_dir, split, index, seed, size, difficulty, n_frames, fps,
     overrides) = job
    preset = get_preset(difficulty, 'sequences', overrides)
    w, h = size
    seed_key = 'video' if split is None else f'video_{split}'
    spec_seed, noise_seed, sched_seed, motion_seed = item_seed(
        seed, seed_key, index).spawn(4)
    rng = np.random.default_rng(spec_seed)
    spec = sample_frame_spec(rng, w, h, preset)
    kind, on, intervals = leak_schedule(
        np.random.default_rng(sched_seed), n_frames)
    if kind == 'none':
        spec['plumes'] = []
    else:
        # A sequence is about its leak: at least one, visible when on.
        count = max(len(spec['plumes']), 1)
        for _ in range(preset['label']['retries'] + 1):
            spec['plumes'] = sample_leaks(rng, spec['scene'], spec['wind'],
                                          spec['camera']['pixel_m'], preset,
                                          (h, w), count=count)
            probe = next(render_frames(spec, 1, noise_seed=0))
            if probe['mask'].sum() >= preset['label']['min_visible_px']:
                break
    spec['flicker'] = round(float(rng.uniform(*preset['video']['flicker'])),
                            3)
    spec['motion'] = sample_motion(np.random.default_rng(motion_seed), spec,
                                   preset['video'], fps)
    name = f'seq_{index:04d}'
    root = osp.join(out_dir, 'video', *([split] if split else []), name)
    os.makedirs(osp.join(root, 'frames'), exist_ok=True)
    os.makedirs(osp.join(root, 'masks'), exist_ok=True)
    video_file = osp.join(root, name + '.mp4')
    writer = cv2.VideoWriter(video_file, cv2.VideoWriter_fourcc(*'mp4v'),
                             fps, (w, h), False)
    if not writer.isOpened():
        # the PNG frames are the data; the .mp4 is a convenience
        warnings.warn(f'OpenCV cannot write {video_file} (no mp4v encoder?);'
                      ' the sequence has its PNG frames only')
    frames = []
    first = None
    try:
        for t, out in enumerate(
                render_frames(spec, n_frames, emit=on, warm_up=on[0],
                              noise_seed=noise_seed, lock_agc=True)):
            _write_png(osp.join(root, 'frames', f'{t:06d}.png'), out['image'])
            _write_png(osp.join(root, 'masks', f'{t:06d}.png'), out['mask'])
            if writer.isOpened():
                writer.write(out['image'])
            if first is None:
                first = make_record(spec, out)
            frames.append(
                dict(index=t, leak_on=on[t],
                     visible_px=int(out['mask'].sum()),
                     num_visible_plumes=sum(p['visible_px'] > 0
                                            for p in out['plumes'])))
    finally:
        writer.release()
    visible = [f['visible_px'] > 0 for f in frames]
    _dump_json(
        osp.join(root, 'sequence.json'),
        dict(name=name, index=index, seed=seed, difficulty=difficulty,
             fps=fps, num_frames=n_frames, scenario=kind,
             leak_intervals=intervals,
             gas_visible_intervals=_intervals(visible),
             flicker_netd=spec['flicker'], agc_locked=True,
             motion=spec['motion'], first_frame=first, frames=frames))
    return seed_key, int(any(visible))


def _intervals(flags):
    out, start = [], None
    for t, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = t
        elif not f and start is not None:
            out.append([start, t])
            start = None
    return out


def _init_worker():
    # Workers already run in parallel; OpenCV's own threads would
    # oversubscribe the cores.
    cv2.setNumThreads(1)


def _is_empty_dir(path):
    return not osp.exists(path) or (osp.isdir(path) and not os.listdir(path))


def generate_dataset(out_dir,
                     seed=0,
                     num_train=1000,
                     num_val=200,
                     num_test=200,
                     num_heldout=0,
                     size=(320, 240),
                     difficulty='default',
                     num_videos=0,
                     video_splits=None,
                     video_frames=60,
                     fps=15.0,
                     workers=2,
                     overwrite=False,
                     overrides=None,
                     log=print):
    """Generate (or keep) a synthetic set.

    An existing ``out_dir`` whose ``manifest.json`` records the same
    parameters is left as it is (nothing is regenerated) unless
    ``overwrite`` is set; any other non-empty ``out_dir`` is refused
    unless ``overwrite`` is set. Overwriting first removes only the
    generator's own entries (``img_dir``, ``ann_dir``, ``meta``,
    ``video``, ``annotations``, ``manifest.json``).

    Args:
        out_dir (str): Output directory.
        seed (int): Master seed. Default: 0.
        num_train, num_val, num_test (int): Images per split.
            Defaults: 1000, 200, 200.
        num_heldout (int): Images of the ``heldout`` split, drawn with the
            preset's held-out overrides (scenes and cameras the other
            splits never contain). Default: 0.
        size (tuple[int, int]): (W, H). Default: (320, 240), the native
            resolution of optical gas imaging cameras.
        difficulty (str): A preset of :mod:`.presets`: ``easy``,
            ``default``, ``hard`` or ``strong`` (not physical).
        num_videos (int): Video sequences to write to ``video/``.
            Default: 0.
        video_splits (dict, optional): Sequences per split of a temporal
            set, ``{'train': n, 'val': n, 'test': n}``, written to
            ``video/<split>/`` (:class:`~mmgas.datasets.TemporalGasDataset`
            with ``seq_dir='video/<split>'``). Default: None.
        video_frames (int): Frames per sequence. Default: 60.
        fps (float): Frame rate of the sequences (the simulation runs at
            the preset's 15 Hz). Default: 15.
        workers (int): Processes. Default: 2.
        overwrite (bool): Regenerate: replace a set made with other
            parameters, or with the same ones (by an older generator).
        overrides (dict, optional): Nested preset values to change (an
            ablation), recorded in the manifest. Default: None.
        log (callable): Progress messages. Default: print.

    Returns:
        dict: The manifest, with ``skipped=True`` when the set was already
        there.
    """
    counts = dict(train=int(num_train), val=int(num_val),
                  test=int(num_test), heldout=int(num_heldout))
    # fail early on a bad name, or a held-out split the preset lacks
    get_preset(difficulty, 'heldout' if num_heldout else None, overrides)
    params = dict(
        generator_version=GENERATOR_VERSION,
        seed=int(seed),
        counts=counts,
        size=[int(size[0]), int(size[1])],
        difficulty=difficulty,
        num_videos=int(num_videos),
        video_frames=int(video_frames),
        fps=float(fps))
    video_splits = {k: int(v) for k, v in (video_splits or {}).items() if v}
    unknown = sorted(set(video_splits) - set(VIDEO_SPLITS))
    if unknown:
        raise ValueError(f'video_splits: unknown split(s) {unknown}; choose '
                         f'from {list(VIDEO_SPLITS)}')
    if any(v < 0 for v in video_splits.values()):
        raise ValueError(f'video_splits: counts must be >= 0, got '
                         f'{video_splits}')
    if video_splits:
        params['video_splits'] = video_splits
    if overrides:
        params['overrides'] = overrides
    manifest_path = osp.join(out_dir, 'manifest.json')
    if not _is_empty_dir(out_dir):
        old = None
        if osp.isfile(manifest_path):
            with open(manifest_path) as f:
                old = json.load(f)
        if old is not None and old.get('params') == params and \
                old.get('complete') and not overwrite:
            log(f'{out_dir} already holds this set (manifest.json matches); '
                'nothing to do. Use --overwrite to regenerate.')
            return dict(old, skipped=True)
        if not overwrite:
            why = ('was made with other parameters' if old is not None else
                   'is not empty and has no matching manifest.json')
            raise FileExistsError(
                f'{out_dir} {why}; pass --overwrite to replace the '
                'generated set, or choose another --out.')
        for entry in _OWNED:
            path = osp.join(out_dir, entry)
            if osp.isdir(path):
                shutil.rmtree(path)
            elif osp.exists(path):
                os.remove(path)
    for split in SPLITS:
        if split == 'heldout' and not counts[split]:
            continue
        for sub in ('img_dir', 'ann_dir', 'meta'):
            os.makedirs(osp.join(out_dir, sub, split), exist_ok=True)
    jobs = [(out_dir, split, i, int(seed), params['size'], difficulty,
             overrides) for split in SPLITS for i in range(counts[split])]
    vjobs = [(out_dir, split, k, int(seed), params['size'], difficulty,
              int(video_frames), float(fps), overrides)
             for split, n in [(None, num_videos)] + list(video_splits.items())
             for k in range(n)]
    start = time.perf_counter()
    with_gas = dict(train=0, val=0, test=0, heldout=0, video=0)
    with_gas.update({f'video_{k}': 0 for k in video_splits})
    results = _run(_image_job, jobs, workers, log, 'images')
    img_time = time.perf_counter() - start
    results += _run(_video_job, vjobs, workers, log, 'sequences')
    for split, has_gas in results:
        with_gas[split] += has_gas
    elapsed = time.perf_counter() - start
    manifest = dict(
        params=params,
        complete=True,
        with_gas=with_gas,
        seconds=round(elapsed, 1),
        images_per_second=round(len(jobs) / max(img_time, 1e-9), 1),
        workers=int(workers),
        layout=dict(images='img_dir/<split>/<name>.png',
                    masks='ann_dir/<split>/<name>.png (0 bg, 1 gas)',
                    records='meta/<split>/<name>.json',
                    videos='video/[<split>/]seq_<k>/{frames,masks}/<t>.png'))
    _dump_json(manifest_path, manifest)
    log(f'wrote {len(jobs)} images ({img_time:.1f} s, '
        f'{manifest["images_per_second"]} images/s with {workers} '
        f'worker(s)) and {len(vjobs)} sequences to {out_dir} in '
        f'{elapsed:.1f} s')
    return manifest


def _run(func, jobs, workers, log, what):
    if not jobs:
        return []
    if workers <= 1:
        cv2_threads = cv2.getNumThreads()
        _init_worker()
        try:
            return [func(j) for j in jobs]
        finally:
            cv2.setNumThreads(cv2_threads)
    out = []
    chunk = max(1, min(16, math.ceil(len(jobs) / (workers * 8))))
    ctx = mp.get_context('fork') if 'fork' in mp.get_all_start_methods() \
        else mp.get_context()
    with ctx.Pool(workers, initializer=_init_worker) as pool:
        for i, res in enumerate(pool.imap_unordered(func, jobs, chunk), 1):
            out.append(res)
            if i % 200 == 0 or i == len(jobs):
                log(f'  {what}: {i}/{len(jobs)}')
    return out
