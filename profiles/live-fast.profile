# live-fast: lowest latency, for focusing and live view on a CPU, and the CPU profile for camera-size frames.
# Trade-off: temporal fusion plus stage 1 only (one forward pass of a 16-channel net on the fused frame, about
# 9x cheaper than full N2D at 48 channels) and one small adaptation step per frame. Less denoising than
# 'balanced' on moving content and no stage-2/3 detail recovery; the view keeps up with the camera instead
# (2-core CPU, once warm: ~20-24 frames/s at 256², ~5.5 at 1024², ~1.6-2 at 2048²; docs/cost-curve.md).
# 16 channels, not 24: on the fused frame the net has little noise left to remove. Measured: the still FMD fields
# +0.1 to +0.15 dB (warm), cells-256's moving objects -0.24 dB as shipped and -0.65 dB warm, inference at 2048²
# 1.7x faster.
description = Live view, lowest latency: temporal fusion and stage 1 only, 16 channels, 1 adaptation step per frame
policy = live
keep_raw = false
# RECORD ring budget (unused by live, kept so a policy override has a sane value)
ring_memory_mb = 1024
pipeline = stage1
channels = 16
# warm-up (first frame, scene or size change): initial_steps steps per net on random initial_crop crops,
# spread over the first frames at warmup_budget_ms of training per frame
initial_steps = 300
initial_crop = 128
# per frame: up to adapt_steps steps per net on random crops, stopped early to stay within frame_budget_ms
adapt_steps = 1
adapt_crop = 64
frame_budget_ms = 20
warmup_budget_ms = 30
learning_rate = 1e-3
lr_halving_steps = 1000
# re-fit when the noise-corrected correlation with the previous frame falls below this
scene_change_correlation = 0.5
seed = 0
engine = auto
device = auto
normalization = auto
# temporal: fuse each raw frame with its aligned, motion-gated history (static pixels average up to
# temporal_max_frames frames; changed pixels take the current frame alone), then N2D denoises the fused frame.
# On here too: +10 dB on still and drifting real fields and +0.5 to +0.9 dB inside moving objects over stage 1
# alone, for about half the frame rate at 256² (docs/cost-curve.md, "Live view at camera size").
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
# alone), the raw frame is denoised again with the same weights (stage1: one forward pass) and replaces the fused
# frame's denoising there. off, stage1 or ensemble (see balanced;
# this profile's pipeline is stage 1, so stage1).
temporal_fresh_pass = stage1
