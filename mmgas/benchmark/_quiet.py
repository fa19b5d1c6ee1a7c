"""Context managers that silence mmengine's logger and native stderr
while measuring."""
import contextlib
import logging
import os
import sys


@contextlib.contextmanager
def stderr_to_devnull():
    """Send file descriptor 2 to /dev/null inside the block: the profiler's
    C++ back end (Kineto) prints start/stop notes there that no setting
    switches off. Python exceptions still propagate."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@contextlib.contextmanager
def quiet_logger(level=logging.WARNING):
    """Raise mmengine's current logger to ``level`` inside the block
    (mmseg's per-class table and the FLOP counter's notes about operators
    it does not count would interleave with a progress bar)."""
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)
