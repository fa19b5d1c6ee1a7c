from .gasseg import GasSeg
from .gasvit import GasViT

__all__ = ['GasSeg', 'GasViT']
