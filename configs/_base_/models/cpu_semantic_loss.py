# The semantic loss of every synthetic-set (CPU) config, GasSeg's, GasViT's
# and the baselines': CE plus mmseg's Lovasz hinge, a surrogate of the
# per-class IoU that weighs the rare gas class like the background. With OHEM
# or CE alone a from-scratch model on 8 crops per step predicts only
# background for thousands of iterations (docs/gasseg.md). Configs that
# inherit this file use it as `_base_.semantic_loss` on their main output.
semantic_loss = [
    dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
    dict(
        type='LovaszLoss',
        loss_type='multi_class',
        classes='present',
        per_image=False,
        reduction='none',
        loss_weight=1.0)
]
