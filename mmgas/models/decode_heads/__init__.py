from .gas_head import GasHead

__all__ = ['GasHead']
