"""Convert 0/255 binary masks to the 0/1 labels mmseg expects.

mmseg treats 255 as "ignore", so a gas mask stored as 0/255 trains and
evaluates on background only (gas IoU 0). This rewrites every mask under
IN_DIR (recursively): 0 -> 0, 255 -> 1. Masks that already hold a 1 are
taken as converted and left alone (their 255s stay "ignore"). Other values
(anti-aliased edges, JPEG-like noise) are refused unless ``--threshold T``
is given, which maps values >= T to 1 and the rest to 0. Three-channel
masks with equal channels are reduced to one channel.

Examples::

    # in place
    python tools/dataset_converters/convert_255_masks.py data/IGS/ann_dir
    # to a new directory (the tree is mirrored; other files are not copied)
    python tools/dataset_converters/convert_255_masks.py \\
        data/raw/ann_dir data/IGS/ann_dir
"""
import argparse
import os
import os.path as osp
import sys

import cv2
import numpy as np
from PIL import Image


class MaskError(ValueError):
    """A mask that cannot be converted safely."""


def convert_mask(mask, threshold=None):
    """Return ``(converted, changed)`` for one mask array.

    Args:
        mask (np.ndarray): (H, W) or (H, W, C) uint8 mask.
        threshold (int, optional): Map values >= threshold to 1, others to
            0 (for anti-aliased masks).

    Returns:
        tuple[np.ndarray, bool]: The (H, W) uint8 0/1(/255) mask and whether
        it differs from the input.

    Raises:
        MaskError: Channels differ, or values other than 0/255 without a
            threshold.
    """
    orig = mask
    if mask.ndim == 3:
        if not all(np.array_equal(mask[..., 0], mask[..., c])
                   for c in range(1, mask.shape[2])):
            raise MaskError('channels differ; not a label mask')
        mask = mask[..., 0]
    if mask.dtype != np.uint8:
        raise MaskError(f'dtype {mask.dtype}, expected uint8')
    values = np.flatnonzero(np.bincount(mask.ravel(), minlength=256))
    if 1 in values and set(values) <= {0, 1, 255}:
        return mask, mask is not orig
    if threshold is not None:
        new = (mask >= threshold).astype(np.uint8)
        return new, not np.array_equal(new, orig)
    if not set(values) <= {0, 255}:
        raise MaskError(
            f'values {values[:8].tolist()} are not 0/255; pass --threshold '
            '128 for anti-aliased masks')
    return (mask == 255).astype(np.uint8), 255 in values or mask is not orig


def iter_masks(in_dir, suffix):
    for root, dirs, files in os.walk(in_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(suffix):
                yield osp.join(root, name)


def convert_dir(in_dir, out_dir=None, suffix='.png', threshold=None,
                log=print):
    """Convert every mask under ``in_dir`` (in place without ``out_dir``).

    Returns:
        dict: Counts of ``converted`` and ``unchanged`` masks.
    """
    if not osp.isdir(in_dir):
        raise FileNotFoundError(f'{in_dir} is not a directory')
    counts = dict(converted=0, unchanged=0)
    paths = list(iter_masks(in_dir, suffix))
    if not paths:
        raise FileNotFoundError(f'no *{suffix} masks under {in_dir}')

    def read(path):
        try:
            # decoded as mmseg decodes masks: palette PNGs give indices
            with Image.open(path) as image:
                mask = np.asarray(image)
        except (OSError, ValueError) as e:
            raise MaskError(f'cannot read {path}: {e}') from None
        try:
            return convert_mask(mask, threshold)
        except MaskError as e:
            raise MaskError(f'{path}: {e}') from None

    # Check every mask before writing any, so a bad file does not leave a
    # half-converted directory behind.
    for path in paths:
        read(path)
    for path in paths:
        new, changed = read(path)
        dst = path if out_dir is None else osp.join(
            out_dir, osp.relpath(path, in_dir))
        counts['converted' if changed else 'unchanged'] += 1
        if dst == path and not changed:
            continue
        os.makedirs(osp.dirname(dst), exist_ok=True)
        # Write next to the target and rename, so an interruption never
        # leaves a half-written mask (nor a leftover with the mask suffix).
        ok, encoded = cv2.imencode('.png', new)
        if not ok:
            raise OSError(f'cannot encode {dst}')
        tmp = dst + '.partial'
        with open(tmp, 'wb') as f:
            f.write(encoded.tobytes())
        os.replace(tmp, dst)
    log(f"{counts['converted']} masks converted to 0/1, "
        f"{counts['unchanged']} already 0/1"
        f"{'' if out_dir is None else ' (copied)'}; written to "
        f'{out_dir or in_dir}')
    return counts


def main(argv=None):
    p = argparse.ArgumentParser(description='Convert 0/255 masks to 0/1')
    p.add_argument('in_dir', help='directory of masks (searched recursively)')
    p.add_argument('out_dir', nargs='?',
                   help='output directory (default: convert in place)')
    p.add_argument('--suffix', default='.png', help='mask suffix')
    p.add_argument('--threshold', type=int,
                   help='map values >= THRESHOLD to 1 (anti-aliased masks)')
    args = p.parse_args(argv)
    if args.threshold is not None and not 1 <= args.threshold <= 255:
        p.error(f'--threshold must be in 1..255, got {args.threshold}')
    try:
        convert_dir(args.in_dir, args.out_dir, args.suffix, args.threshold)
    except (MaskError, FileNotFoundError, OSError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
