from .box_mask import LoadBoxAnnotationsAsMask, rasterize_boxes
from .contrast_encoding import (LocalContrastEncoding, input_encoding,
                                local_contrast_channels)
from .temporal_encoding import (LoadFrameHistory, TemporalDataError,
                                TemporalEncoding, temporal_channels)

__all__ = [
    'LoadBoxAnnotationsAsMask', 'rasterize_boxes', 'LocalContrastEncoding',
    'local_contrast_channels', 'input_encoding', 'LoadFrameHistory',
    'TemporalDataError', 'TemporalEncoding', 'temporal_channels'
]
