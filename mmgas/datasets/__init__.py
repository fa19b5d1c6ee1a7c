from .gas_dataset import GasDataError, GasDataset
from .iig_dataset import BoxAnnotationError, IIGDataset
from .temporal_dataset import TemporalGasDataset
from .transforms import *  # noqa: F401,F403

__all__ = [
    'GasDataset', 'GasDataError', 'IIGDataset', 'BoxAnnotationError',
    'TemporalGasDataset'
]
