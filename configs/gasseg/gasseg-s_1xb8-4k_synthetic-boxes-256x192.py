# GasSeg-S trained on boxes instead of masks: the recipe of
# gasseg-s_1xb8-4k_synthetic-256x192.py (same model, schedule, batch and
# seed) with the data of ../_base_/datasets/synthetic_gas_boxes.py: training
# masks rasterised from the synthetic set's COCO gas boxes (outer 10 % of
# each box ignored), validated and tested on the real masks (mIoU, mF1) and
# on the boxes (box AP, AP50, recall). Needs the boxes:
#   python tools/dataset_converters/generate_synthetic_gas.py \
#       --out data/synthetic_gas --coco
_base_ = [
    '../_base_/models/gasseg-s_cpu.py',
    '../_base_/datasets/synthetic_gas_boxes.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_4k.py'
]
train_dataloader = dict(batch_size=8)
randomness = dict(seed=304)
