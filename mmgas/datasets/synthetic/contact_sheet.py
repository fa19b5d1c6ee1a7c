"""Contact sheet of a generated set: frames, masks and overlays.

Each sample is shown as ``frame | enhanced | mask | overlay``: the frame as
written, the same frame with a local contrast stretch (CLAHE, close to an
operator's high-sensitivity view, so faint gas can be seen on the sheet),
the mask, and the frame with the labelled gas outlined and tinted; with a
caption from its record (scene layout, camera band and the plumes' core
contrast in mK). A last row shows frames spread over a video sequence (one
where the leak starts or stops, if any) with their masks, if the set has
videos. The sheet is stored as a palette PNG (one byte per pixel) to stay
small.
"""
import glob
import json
import os
import os.path as osp

import cv2
import numpy as np
from PIL import Image

# Palette: 240 grey levels, then the overlay colours.
_GREYS = 240
_RED, _GREEN, _TEXT_BG, _WHITE = 240, 241, 242, 243


def _grey_index(img):
    return (img.astype(np.uint16) * (_GREYS - 1) // 255).astype(np.uint8)


def _enhance(img):
    """Local contrast stretch (CLAHE), roughly what an operator's
    high-sensitivity display does, so faint gas shows on the sheet."""
    clahe = cv2.createCLAHE(clipLimit=6.0, tileGridSize=(6, 6))
    return clahe.apply(cv2.GaussianBlur(img, (0, 0), 0.7))


def _panel(img, mask, caption=None):
    """frame | enhanced frame | mask | overlay, as palette indices."""
    frame = _grey_index(img)
    enhanced = _grey_index(_enhance(img))
    m = (mask == 1)
    mask_panel = np.where(m, _GREYS - 1, 0).astype(np.uint8)
    mask_panel[mask == 255] = _GREYS // 2
    over = frame.copy()
    over[m & ((np.indices(m.shape).sum(0) % 3) == 0)] = _GREEN
    contours, _ = cv2.findContours(m.astype(np.uint8), cv2.RETR_LIST,
                                   cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(over, contours, -1, int(_RED), 1)
    row = np.hstack([frame, enhanced, mask_panel, over])
    if caption:
        cv2.rectangle(row, (0, 0), (row.shape[1], 11), int(_TEXT_BG), -1)
        cv2.putText(row, caption, (3, 9), cv2.FONT_HERSHEY_PLAIN, 0.7,
                    int(_WHITE), 1, cv2.LINE_8)
    return row


def _caption(record):
    cores = [
        f"{p['contrast_p90_mk']:.0f}" for p in record['plumes']
        if p['visible_px'] > 0
    ]
    dist = ','.join(d['kind'] for d in record['distractors'])
    text = (f"{record['name']} {record['layout']} "
            f"{record['camera']['band']} core mK: {'/'.join(cores) or '-'}")
    if dist:
        text += f' +{dist}'
    return text


def _pad(row, width):
    if row.shape[1] < width:
        row = np.pad(row, ((0, 0), (0, width - row.shape[1])))
    return row


def _read(path, flag):
    image = cv2.imread(path, flag)
    if image is None:
        raise FileNotFoundError(f'cannot read {path} (missing or corrupt)')
    return image


def make_contact_sheet(data_root, out_path, split='val', num=8, cols=2,
                       video_frames=6):
    """Write a contact sheet PNG of a generated set.

    Args:
        data_root (str): Root of a set written by
            :func:`~.writer.generate_dataset`.
        out_path (str): PNG file to write.
        split (str): Split to draw samples from. Default: ``'val'``.
        num (int): Number of samples, spread evenly over the split.
            Default: 8.
        cols (int): Samples per row. Default: 2.
        video_frames (int): Frames of a sequence to show, spread over
            it. Default: 6; 0 disables the video row.

    Returns:
        str: ``out_path``.
    """
    names = sorted(
        osp.splitext(osp.basename(p))[0]
        for p in glob.glob(osp.join(data_root, 'img_dir', split, '*.png')))
    if not names:
        raise FileNotFoundError(
            f'no images under {osp.join(data_root, "img_dir", split)}')
    picks = [names[int(i)] for i in np.linspace(0, len(names) - 1,
                                                min(num, len(names)))]
    panels = []
    for name in picks:
        img = _read(osp.join(data_root, 'img_dir', split, name + '.png'),
                    cv2.IMREAD_GRAYSCALE)
        mask = _read(osp.join(data_root, 'ann_dir', split, name + '.png'),
                     cv2.IMREAD_UNCHANGED)
        caption = name
        meta = osp.join(data_root, 'meta', split, name + '.json')
        if osp.isfile(meta):
            with open(meta) as f:
                caption = _caption(json.load(f))
        panels.append(_panel(img, mask, caption))
    gap = 4
    rows = []
    for r in range(0, len(panels), cols):
        chunk = panels[r:r + cols]
        h = chunk[0].shape[0]
        sep = np.full((h, gap), _TEXT_BG, np.uint8)
        row = chunk[0]
        for p in chunk[1:]:
            row = np.hstack([row, sep, p])
        rows.append(row)
    seqs = sorted(glob.glob(osp.join(data_root, 'video', 'seq_*')))
    infos = []
    for seq in seqs:
        record = osp.join(seq, 'sequence.json')
        if not osp.isfile(record):
            raise FileNotFoundError(
                f'{record} is missing: an interrupted video generation? '
                'Re-run generate_synthetic_gas.py with --overwrite')
        with open(record) as f:
            infos.append((seq, json.load(f)))
    # prefer a sequence whose leak starts or stops
    infos.sort(
        key=lambda si: si[1]['scenario'] not in ('onset', 'pulse', 'stop'))
    if infos and video_frames:
        seq, info = infos[0]
        tiles = []
        n = info['num_frames']
        for t in np.unique(np.linspace(0, n - 1, video_frames).astype(int)):
            img = _read(osp.join(seq, 'frames', f'{t:06d}.png'),
                        cv2.IMREAD_GRAYSCALE)
            mask = _read(osp.join(seq, 'masks', f'{t:06d}.png'),
                         cv2.IMREAD_UNCHANGED)
            tile = _panel(img, mask)[:, 3 * img.shape[1]:]  # overlay only
            on = 'leak on' if info['frames'][t]['leak_on'] else 'leak off'
            cv2.rectangle(tile, (0, 0), (tile.shape[1], 11), int(_TEXT_BG),
                          -1)
            cv2.putText(tile, f"{info['name']} t={t} {on}", (3, 9),
                        cv2.FONT_HERSHEY_PLAIN, 0.7, int(_WHITE), 1)
            tiles.append(tile)
            tiles.append(np.full((tile.shape[0], gap), _TEXT_BG, np.uint8))
        rows.append(np.hstack(tiles[:-1]))
    width = max(r.shape[1] for r in rows)
    out = []
    for r in rows:
        out += [_pad(r, width), np.full((gap, width), _TEXT_BG, np.uint8)]
    sheet = np.vstack(out[:-1])
    palette = []
    for i in range(_GREYS):
        v = i * 255 // (_GREYS - 1)
        palette += [v, v, v]
    palette += [255, 40, 40, 60, 220, 60, 30, 30, 60, 255, 255, 255]
    palette += [0, 0, 0] * (256 - len(palette) // 3)
    im = Image.frombytes('P', (sheet.shape[1], sheet.shape[0]),
                         np.ascontiguousarray(sheet).tobytes())
    im.putpalette(palette)
    os.makedirs(osp.dirname(osp.abspath(out_path)), exist_ok=True)
    im.save(out_path, optimize=True)
    return out_path
