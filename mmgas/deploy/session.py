"""The one ONNX Runtime session factory of mmgas (inference and benchmarks).
"""


def onnxruntime_session(onnx_path, threads=None, spinning=True):
    """An ONNX Runtime CPU session.

    All graph optimisations, ``threads`` intra-op threads and one inter-op
    thread (mmgas's graphs run sequentially). Benchmarks turn thread
    spinning off: idle spinning workers would steal the cores from whatever
    is timed next (another model in the same round, or other processes).

    Args:
        onnx_path (str): The ``.onnx`` file.
        threads (int, optional): Intra-op threads. Default: None (ONNX
            Runtime's choice, one per core).
        spinning (bool): Let idle intra-op workers spin (ONNX Runtime's own
            default, the lowest latency for a process that only runs this
            model). Default: True.

    Returns:
        onnxruntime.InferenceSession: On the ``CPUExecutionProvider``.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = int(threads)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    if not spinning:
        options.add_session_config_entry('session.intra_op.allow_spinning',
                                         '0')
    return ort.InferenceSession(
        onnx_path, options, providers=['CPUExecutionProvider'])
