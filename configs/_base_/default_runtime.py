# Runtime shared by every mmgas config: mmseg's default runtime plus the
# plugin import, so mmseg's own tools, `mim` and mmdeploy register mmgas.
_base_ = 'mmseg::_base_/default_runtime.py'

custom_imports = dict(imports=['mmgas'], allow_failed_imports=False)
default_scope = 'mmseg'
# nccl on GPUs; mmgas's tools/train.py switches to gloo when CUDA is absent.
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
