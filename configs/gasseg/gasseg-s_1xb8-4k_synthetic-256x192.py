# GasSeg-S on the synthetic gas set, sized for a 2-core CPU (see
# docs/gasseg.md for the measured s/iter and accuracy): the release model
# with the paper's fixed Scharr kernels, the release data pipeline, batch 8
# and the CPU recipe (CE + Lovasz + boundary loss, AdamW over 4k
# iterations; ../_base_/models/gasseg-s_cpu.py and
# ../_base_/synthetic_cpu_recipe.py).
_base_ = [
    '../_base_/models/gasseg-s_cpu.py', '../_base_/synthetic_cpu_recipe.py'
]
