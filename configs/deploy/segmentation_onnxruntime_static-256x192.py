# mmdeploy config: ONNX Runtime, fixed 1x3x192x256 input (input_shape is
# (w, h), as everywhere in mmdeploy). Self-contained because the mmdeploy
# wheel ships no configs/. Static is the default for mmgas: SegFormer-style
# attention bakes the spatial size into its reshapes at export time, and the
# IGS test pipeline resizes every frame to 256x192 anyway.
onnx_config = dict(
    type='onnx',
    export_params=True,
    keep_initializers_as_inputs=False,
    # >= 13 for SegFormer's aten::unflatten
    opset_version=13,
    save_file='end2end.onnx',
    input_names=['input'],
    output_names=['output'],
    input_shape=[256, 192])
# with_argmax=False: the graph returns N x num_classes x H x W logits, so the
# deploy tools can report logit parity and users can threshold gas
# confidence; the backend model (and the SDK's ResizeMask) take the argmax.
codebase_config = dict(
    type='mmseg', task='Segmentation', with_argmax=False, module=['mmgas'])
backend_config = dict(type='onnxruntime')
