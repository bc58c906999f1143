/**
 * Temporal denoising machinery on raw camera frames: global drift by phase correlation, a motion-gated recursive
 * filter with an aligned history, the camera's noise level, and a quality readout without ground truth. Depends on
 * {@code org.n2dlive.frame} and JTransforms only; the N2D model sits on top of it ({@code n2d.TemporalDenoiser}).
 */
package org.n2dlive.temporal;
