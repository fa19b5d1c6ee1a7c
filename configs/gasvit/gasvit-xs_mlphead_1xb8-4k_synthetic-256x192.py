# GasViT-xs + mmgas's all-MLP head on the synthetic gas set with the CPU
# recipe shared by the GasSeg and baseline synthetic configs
# (../_base_/synthetic_cpu_recipe.py: AdamW 2e-3, 4k iterations, the release
# pipeline and crop, batch 8): the GasViT entry of side-by-side comparisons.
# The model, its CE + Lovasz loss and the auxiliary head that makes it learn
# in this schedule are ../_base_/models/gasvit-xs_cpu.py.
_base_ = [
    '../_base_/models/gasvit-xs_cpu.py', '../_base_/synthetic_cpu_recipe.py'
]
