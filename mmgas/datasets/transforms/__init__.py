from .box_mask import LoadBoxAnnotationsAsMask, rasterize_boxes
from .contrast_encoding import LocalContrastEncoding, local_contrast_channels
from .input_encoding import (ENCODINGS, history_length, input_encoding,
                             is_temporal)
from .temporal_encoding import (LoadFrameHistory, RandomDisplayGain,
                                TemporalDataError, TemporalEncoding,
                                temporal_channels)

__all__ = [
    'LoadBoxAnnotationsAsMask', 'rasterize_boxes', 'LocalContrastEncoding',
    'local_contrast_channels', 'ENCODINGS', 'input_encoding', 'is_temporal',
    'history_length', 'LoadFrameHistory', 'RandomDisplayGain',
    'TemporalDataError',
    'TemporalEncoding', 'temporal_channels'
]
