import { describe, expect, it } from '@jest/globals';
import { seriousViolations } from './browser.js';

describe('seriousViolations', () => {
  it('lists each element of a serious or critical violation, with the rule and where, and leaves out the milder ones', () => {
    const found = seriousViolations('shopper catalog at 390 px', [
      { id: 'image-alt', impact: 'critical', help: 'Images must have alternative text', nodes: [{ target: ['img.card'] }, { target: ['img.hero'] }] },
      { id: 'color-contrast', impact: 'serious', help: 'Elements must meet minimum color contrast ratio thresholds', nodes: [{ target: ['.hint'] }] },
      { id: 'region', impact: 'moderate', help: 'All page content should be contained by landmarks', nodes: [{ target: ['footer'] }] },
    ]);
    expect(found).toEqual([
      'shopper catalog at 390 px: critical image-alt (Images must have alternative text) at ["img.card"]',
      'shopper catalog at 390 px: critical image-alt (Images must have alternative text) at ["img.hero"]',
      'shopper catalog at 390 px: serious color-contrast (Elements must meet minimum color contrast ratio thresholds) at [".hint"]',
    ]);
  });
});
