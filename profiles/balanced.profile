# balanced: the default. Stages 1-2 of Noise2Detail (the net f and its pixel-shuffle ensemble) at the paper's
# 48 channels, adapted on most of every frame. Measured on real confocal and synthetic drifting streams: one step
# per frame on a 160x160 crop kept quality level with full per-frame N2D, where 2 steps on 96x96 crops lost ~2 dB
# (small crops pull the weights towards whatever the crop holds); stage 3 added < 0.1 dB while streaming and
# costs a second net. Its values are also the defaults for any key a user profile leaves out.
description = Live view, N2D stages 1-2, 48 channels, 1 adaptation step per frame on a 160 px crop
policy = live
keep_raw = false
ring_memory_mb = 1024
pipeline = ensemble
channels = 48
initial_steps = 100
initial_crop = 160
adapt_steps = 1
adapt_crop = 160
frame_budget_ms = 150
warmup_budget_ms = 250
learning_rate = 1e-3
lr_halving_steps = 1000
scene_change_correlation = 0.5
seed = 0
engine = auto
device = auto
normalization = auto
# temporal: fuse each raw frame with its aligned, motion-gated history (static pixels average up to
# temporal_max_frames frames; changed pixels take the current frame alone), then N2D denoises the fused frame.
temporal = on
temporal_max_frames = 64
temporal_loss_weight = 0
# temporal_input: N2D adapts to and denoises the fused frame (best on static and drifting scenes), or the raw
# frame (moving objects then get exactly the spatial-only denoising; static scenes lose ~0.5 dB, see docs/design.md).
temporal_input = fused
# temporal_raw_steps: share of N2D's training steps on the raw frame while it denoises the fused one. With the
# fresh pass below, the net must denoise the raw frame as a spatial-only stream would: at 1, cells-256's moving
# objects reach 25.19 dB (spatial-only 25.32; at 0.5, 24.64), for -0.08..-0.14 dB on the still FMD fields.
temporal_raw_steps = 1
# temporal_fresh_pass: where the fused frame is fresh (moved or changed pixels, and 2 px around them: the raw frame
# alone), the raw frame is denoised again with the same weights and replaces the fused frame's denoising there. It
# runs on tiles around the changes; isolated false alarms (groups under 16 px) keep the fused frame. ensemble: the
# stage-2 ensemble near changes proven this frame, stage 1 elsewhere; stage1: stage 1 everywhere; off. Fixed steps,
# inside cells-256's moving objects: ensemble 25.28 dB, stage1 25.17, spatial-only 25.32; temporal work 13-18 % of
# the worker time with ensemble at default budgets (2-core host D).
temporal_fresh_pass = ensemble
