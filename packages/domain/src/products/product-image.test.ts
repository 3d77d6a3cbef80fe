import { describe, expect, it } from '@jest/globals';
import { IMAGE_URL_MAX_LENGTH, ImageUrl, imageUrlProblem } from './product-image.js';

describe('a product image address', () => {
  it.each([
    'https://cdn.example.com/mugs/blue.webp',
    'http://images.shop.local/a.png?w=400&h=400',
    'HTTPS://CDN.EXAMPLE.COM/A.JPG',
    '/images/mug.png',
    '/',
    `https://cdn.example.com/${'a'.repeat(IMAGE_URL_MAX_LENGTH - 'https://cdn.example.com/'.length)}`,
  ])('accepts %s', (text) => {
    expect(imageUrlProblem(text)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    [`/${'a'.repeat(IMAGE_URL_MAX_LENGTH)}`, 'at most 2048 characters'],
    ['//evil.example.com/x.png', 'single "/"'],
    ['/\\evil.example.com/x.png', 'backslashes'],
    ['/images/blue mug.png', 'spaces'],
    ['/images/mug.png\n', 'control characters'],
    ['javascript:alert(1)', 'absolute http(s) URL'],
    ['data:image/png;base64,AAAA', 'absolute http(s) URL'],
    ['ftp://files.example.com/a.png', 'absolute http(s) URL'],
    ['images/mug.png', 'absolute http(s) URL'],
    ['https://', 'absolute http(s) URL'],
    ['https://admin:secret@cdn.example.com/a.png', 'user name or password'],
  ])('refuses %j: it %s', (text, problem) => {
    expect(imageUrlProblem(text)).toContain(problem);
  });

  it('is a zod schema whose issue says what is wrong', () => {
    const result = ImageUrl.safeParse('ftp://x.example/a.png');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be an absolute http(s) URL or a path starting with "/"');
    expect(ImageUrl.parse('/a.png')).toBe('/a.png');
  });
});
