from .box_metric import BoxAPMetric, mask_to_detections
from .class_iou_metric import ClassIoUMetric, class_scores, describe_gas_iou
from .pixel_ap_metric import PixelAPMetric, image_found, pixel_ap
from .region_error_metric import RegionErrorMetric, region_errors
from .visibility_error_metric import (VisibilityErrorMetric, split_item,
                                      visibility_errors)

__all__ = [
    'BoxAPMetric', 'ClassIoUMetric', 'class_scores', 'describe_gas_iou',
    'mask_to_detections', 'PixelAPMetric', 'image_found', 'pixel_ap',
    'RegionErrorMetric', 'region_errors', 'VisibilityErrorMetric',
    'split_item', 'visibility_errors'
]
