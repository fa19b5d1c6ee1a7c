# The encoding ablation of ./gasseg-s_1xb8-4k_synthetic-temporal-256x192.py
# (docs/temporal.md): the background is the exponential average of the 8
# earlier frames (weight 2/9 on the newest) instead of their median; all else
# is the same, the samples included.
_base_ = './gasseg-s_1xb8-4k_synthetic-temporal-256x192.py'
input_encoding = dict(
    type='TemporalEncoding', background='ema', window=8, lag=2, gain=4.0)
train_pipeline = _base_.train_pipeline[:4] + [input_encoding] + \
    _base_.train_pipeline[5:]
test_pipeline = _base_.test_pipeline[:2] + [input_encoding] + \
    _base_.test_pipeline[3:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
