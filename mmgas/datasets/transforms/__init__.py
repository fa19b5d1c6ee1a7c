from .box_mask import LoadBoxAnnotationsAsMask, rasterize_boxes

__all__ = ['LoadBoxAnnotationsAsMask', 'rasterize_boxes']
