from .gas_dataset import GasDataError, GasDataset

__all__ = ['GasDataset', 'GasDataError']
