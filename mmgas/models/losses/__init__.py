from .sum_of_losses import SumOfLosses

__all__ = ['SumOfLosses']
