from .checkpoint import (CheckpointMismatchError, check_checkpoint_matches,
                         checkpoint_state_dict, init_segmentor)
from .config import load_config

__all__ = [
    'load_config', 'CheckpointMismatchError', 'check_checkpoint_matches',
    'checkpoint_state_dict', 'init_segmentor'
]
