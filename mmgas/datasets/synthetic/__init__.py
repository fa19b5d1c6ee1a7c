"""Physics-based synthetic optical-gas-imaging data.

Procedural thermal scenes (:mod:`.scene`), gas plumes as puff streaklines
with jet, Pasquill-Gifford dispersion and advected turbulence
(:mod:`.plume`), Beer-Lambert radiometry in Planck radiance
(:mod:`.radiometry`), a camera model with NETD, fixed-pattern noise, optics
blur and 8-bit AGC (:mod:`.sensor`), composed into labelled frames and
videos (:mod:`.generator`) and written to disk reproducibly
(:mod:`.writer`). The physics and its references are in
``docs/synthetic_data.md``.
"""
from .contact_sheet import make_contact_sheet
from .generator import (FrameSimulator, generate_image, make_record,
                        render_frames, render_image, sample_frame_spec,
                        trim_to_core, visibility_threshold)
from .presets import PRESETS, get_preset
from .stats import summarize, to_markdown, write_stats
from .writer import (GENERATOR_VERSION, generate_dataset, item_name,
                     item_seed, leak_schedule, rerender_image)

__all__ = [
    'FrameSimulator', 'generate_image', 'make_record', 'render_frames',
    'render_image', 'sample_frame_spec', 'trim_to_core',
    'visibility_threshold', 'PRESETS', 'get_preset', 'summarize',
    'to_markdown', 'write_stats', 'GENERATOR_VERSION', 'generate_dataset',
    'item_name', 'item_seed', 'leak_schedule', 'rerender_image',
    'make_contact_sheet'
]
