/**
 * Chart colours, one home for all of them. Hues are from the Okabe–Ito set, which stays distinguishable with
 * the common colour-vision deficiencies; every data colour has at least 3:1 contrast on the white background
 * (WCAG 1.4.11 for graphics) except `off`, which marks the absence of a study day and is named in the legend.
 */
export const PALETTE = {
  background: '#ffffff',
  /** Titles, labels: 14.7:1 on white. */
  text: '#1f2937',
  /** Secondary text (subtitles, axis titles): 7.6:1. */
  muted: '#4b5563',
  grid: '#d1d5db',
  /** The main bar colour (participation, accuracy): Okabe–Ito blue, 5.2:1. */
  primary: '#0072b2',
  /** Improvement (a mover going up): bluish green, darkened to 5.4:1. */
  up: '#00795a',
  /** A drop (a mover going down): vermilion, darkened to 5.1:1. */
  down: '#b84f00',
  /** Study-day calendar; the white ✓ ❄ ✗ marks on the three study-day colours keep 5:1 or more. */
  answered: '#00795a',
  frozen: '#0072b2',
  missed: '#b84f00',
  off: '#e5e7eb',
} as const;
