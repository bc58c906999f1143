# balanced: the default. Full Noise2Detail (stages 1-3) at the paper's 48 channels on a live view;
# a few adaptation steps per frame within a 120 ms budget. Its values are also the defaults for any key a
# user profile leaves out.
description = Live view, full N2D (stages 1-3), 48 channels, 2 adaptation steps per frame
policy = live
keep_raw = false
ring_memory_mb = 1024
pipeline = full
channels = 48
initial_steps = 300
initial_crop = 128
adapt_steps = 2
adapt_crop = 96
frame_budget_ms = 120
learning_rate = 1e-3
lr_halving_steps = 1000
scene_change_factor = 3
seed = 0
engine = auto
device = auto
normalization = auto
