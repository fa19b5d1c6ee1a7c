# GasSeg-S on the synthetic temporal set: the model and CPU recipe of
# ./gasseg-s_1xb8-4k_synthetic-256x192.py, trained on frames with their
# history. Its three input channels are the frame, the frame minus the median
# of the 8 frames before it and the frame minus the frame 2 steps back
# (TemporalEncoding; docs/temporal.md compares encodings and the
# single-frame model). tools/infer.py and LeakDetector keep the history
# themselves, for PyTorch and ONNX.
_base_ = [
    '../_base_/models/gasseg-s_cpu.py',
    '../_base_/synthetic_temporal_cpu_recipe.py'
]
