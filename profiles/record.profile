# record: acquisitions. Lossless (every frame in gives one denoised frame out, in order), the raw frame
# kept beside the denoised one, bursts absorbed by a 1 GiB ring of frame buffers.
description = Acquisition: lossless, raw kept, full N2D, 2 adaptation steps per frame
policy = record
keep_raw = true
ring_memory_mb = 1024
pipeline = full
channels = 48
initial_steps = 300
initial_crop = 128
adapt_steps = 2
adapt_crop = 96
frame_budget_ms = 150
learning_rate = 1e-3
lr_halving_steps = 1000
scene_change_factor = 3
seed = 0
engine = auto
device = auto
normalization = auto
