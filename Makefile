# mmgas: two commands from a fresh clone (python3 and pip, nothing else).
#   make demo   install into .venv/, generate the synthetic data set, train
#               and evaluate GasSeg-S on it, export it to ONNX and run
#               leak detection with alarms on synthetic videos
#   make test   install into .venv/ and run the whole test suite
# .venv/ is reused while setup.py and requirements/ are unchanged.

PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.mmgas-installed
DATA ?= data/synthetic_gas
DEMO_CONFIG ?= configs/gasseg/gasseg-s_1xb8-4k_synthetic-256x192.py
DEMO_WORK_DIR ?= work_dirs/demo_gasseg-s_synthetic
PYTEST_ARGS ?= -q
HELDOUT_OPTIONS := --cfg-options test_dataloader.dataset.data_prefix.img_path=img_dir/heldout \
	test_dataloader.dataset.data_prefix.seg_map_path=ann_dir/heldout

.PHONY: install demo test clean-venv

$(STAMP): setup.py $(wildcard requirements/*.txt)
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	# setuptools < 81 keeps pkg_resources for mmengine/mmcv; torch pinned
	# to the CPU wheel before anything can pull a CUDA build.
	$(VPY) -m pip install "setuptools==80.10.2" wheel
	$(VPY) -m pip install "torch==2.13.0"
	$(VPY) -m pip install --no-build-isolation -e ".[tests]"
	$(VPY) -m pip install --no-deps -r requirements/mmdeploy.txt
	touch $(STAMP)

install: $(STAMP)

test: install
	$(VPY) -m pytest $(PYTEST_ARGS)

demo: install
	$(VPY) tools/dataset_converters/generate_synthetic_gas.py --out $(DATA)
	$(VPY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORK_DIR) --resume
	$(VPY) tools/test.py $(DEMO_CONFIG) "$$(cat $(DEMO_WORK_DIR)/last_checkpoint)" \
		--work-dir $(DEMO_WORK_DIR)/test
	# the held-out split: scenes, leak sources and a display setting the
	# training split never contains (docs/synthetic_data.md)
	$(VPY) tools/test.py $(DEMO_CONFIG) "$$(cat $(DEMO_WORK_DIR)/last_checkpoint)" \
		--work-dir $(DEMO_WORK_DIR)/heldout $(HELDOUT_OPTIONS)
	# exported at the synthetic configs' test scale (448x336)
	$(VPY) tools/deploy.py configs/deploy/segmentation_onnxruntime_static-448x336.py \
		$(DEMO_CONFIG) "$$(cat $(DEMO_WORK_DIR)/last_checkpoint)" \
		"$$(ls $(DATA)/img_dir/test/*.png | head -n 1)" \
		--work-dir $(DEMO_WORK_DIR)/onnx --device cpu --dump-info
	# leak detection with the exported model on synthetic videos (a separate
	# set: adding videos to $(DATA) would change its parameters)
	$(VPY) tools/dataset_converters/generate_synthetic_gas.py --out $(DATA)_video \
		--num-train 0 --num-val 0 --num-test 0 --num-heldout 0 --video 4 --video-frames 90
	for k in 0 1 2 3; do \
		$(VPY) tools/infer.py $(DEMO_WORK_DIR)/onnx/end2end.onnx \
			$(DATA)_video/video/seq_000$$k/seq_000$$k.mp4 \
			--out $(DEMO_WORK_DIR)/infer/seq_000$$k || exit 1; \
	done
	$(VPY) tools/analysis_tools/alarm_eval.py $(DATA)_video --pred-dir $(DEMO_WORK_DIR)/infer

clean-venv:
	rm -rf $(VENV)
