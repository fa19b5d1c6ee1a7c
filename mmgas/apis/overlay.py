"""Paint a frame's gas prediction for a human: mask, boxes, alarm banner."""
import cv2
import numpy as np

#: BGR colours.
GAS_COLOR = (0, 0, 255)
BOX_COLOR = (0, 255, 255)
ALARM_COLOR = (0, 0, 255)


def draw_overlay(image, mask, record, alarm=None, time=None, opacity=0.5):
    """Return a copy of ``image`` with the gas prediction drawn on it.

    Gas pixels are tinted red, each region gets a yellow box with its mean
    confidence, the top line states the frame's gas area (and time), and a
    red ``LEAK ALARM`` banner is drawn while the alarm is raised.

    Args:
        image (np.ndarray): ``H x W x 3`` uint8 BGR frame.
        mask (np.ndarray): ``H x W`` bool gas mask.
        record (dict): From :func:`mmgas.apis.frame_record`.
        alarm (bool, optional): Alarm state; None draws no alarm line.
        time (float, optional): Frame time in seconds.
        opacity (float): Opacity of the gas tint. Default: 0.5.

    Returns:
        np.ndarray: ``H x W x 3`` uint8 BGR.
    """
    out = image.copy()
    if mask.any():
        tint = np.asarray(GAS_COLOR, np.float32)
        out[mask] = np.rint((1 - opacity) * out[mask] + opacity * tint).astype(
            np.uint8)
    h, w = out.shape[:2]
    # text readable from 96x72 thumbnails to full HD
    scale = max(0.3, min(w, h * 4 / 3) / 640)
    thick = max(1, int(round(scale * 2)))
    font = cv2.FONT_HERSHEY_SIMPLEX
    for region in record['regions']:
        x1, y1, bw, bh = region['box']  # COCO [x, y, w, h]
        cv2.rectangle(out, (x1, y1), (x1 + bw - 1, y1 + bh - 1), BOX_COLOR,
                      thick)
        if region['mean_confidence'] is not None:
            cv2.putText(out, f'{region["mean_confidence"]:.2f}',
                        (x1, max(y1 - 3, int(12 * scale))), font, scale * 0.8,
                        BOX_COLOR, thick, cv2.LINE_AA)
    line = f'gas {record["gas_area"]} px'
    if time is not None:
        line = f't {time:.2f} s  ' + line
    text_h = int(22 * scale)
    cv2.putText(out, line, (3, h - 4), font, scale * 0.8, (255, 255, 255),
                thick, cv2.LINE_AA)
    if alarm:
        cv2.rectangle(out, (0, 0), (w - 1, text_h + 4), ALARM_COLOR, -1)
        cv2.putText(out, 'LEAK ALARM', (3, text_h), font, scale,
                    (255, 255, 255), thick, cv2.LINE_AA)
    return out
