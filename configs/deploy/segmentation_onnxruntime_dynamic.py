# mmdeploy config: ONNX Runtime with dynamic batch, height and width, for
# convolutional models (GasSeg runs and matches PyTorch at other sizes).
# The tracer bakes the export size into the attention reshapes of SegFormer
# and GasViT, whose dynamic exports fail at any other size: export those
# with segmentation_onnxruntime_static-256x192.py (docs/deploy.md).
onnx_config = dict(
    type='onnx',
    export_params=True,
    keep_initializers_as_inputs=False,
    opset_version=13,
    save_file='end2end.onnx',
    input_names=['input'],
    output_names=['output'],
    input_shape=None,
    dynamic_axes=dict(
        input=dict({
            0: 'batch',
            2: 'height',
            3: 'width'
        }),
        output=dict({
            0: 'batch',
            2: 'height',
            3: 'width'
        })))
codebase_config = dict(
    type='mmseg', task='Segmentation', with_argmax=False, module=['mmgas'])
backend_config = dict(type='onnxruntime')
