from .alarm import (false_alarm_frames, match_events, merge_intervals,
                    score_events, summarise_matches)
from .metrics import (BoxAPMetric, ClassIoUMetric, PixelAPMetric,
                      RegionErrorMetric, VisibilityErrorMetric, class_scores,
                      describe_gas_iou, image_found, mask_to_detections,
                      pixel_ap, region_errors, visibility_errors)

__all__ = [
    'false_alarm_frames', 'match_events', 'merge_intervals', 'score_events',
    'summarise_matches', 'BoxAPMetric', 'ClassIoUMetric', 'PixelAPMetric',
    'RegionErrorMetric', 'class_scores', 'describe_gas_iou', 'image_found',
    'mask_to_detections', 'pixel_ap', 'region_errors',
    'VisibilityErrorMetric', 'visibility_errors'
]
