from .box_metric import BoxAPMetric, mask_to_detections

__all__ = ['BoxAPMetric', 'mask_to_detections']
