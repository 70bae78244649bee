/**
 * Columns are measured in terminal cells, not UTF-16 units: a CJK character or an emoji takes two cells, a
 * combining accent none. A cell that is miscounted shifts every column after it.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fit } from '../../src/ui/format';

describe('fit, in terminal cells', () => {
  it.each([
    ['CJK, padded', '完了', 6, '完了  '],
    ['CJK, cut with an ellipsis', '完了しました', 7, '完了し…'],
    ['an emoji, cut', '🚀 deploy', 5, '🚀 d…'],
    ['a wide character that would straddle the edge, left out and padded', 'ab完了', 4, 'ab… '],
    ['combining accents, which take no cell', 'e\u0301te\u0301', 5, 'e\u0301te\u0301  '],
    ['an emoji sequence joined by ZWJ, which takes two cells', '👩‍👩‍👧 family', 6, '👩‍👩‍👧 fa…'],
    ['ASCII as before', 'netra-backend-1', 8, 'netra-b…'],
  ])('%s', (_, text, width, expected) => {
    expect(fit(text, width)).toBe(expected);
    expect(stringWidth(fit(text, width))).toBe(width);
  });

  it('aligns to the right by cells', () => {
    expect(fit('完了', 5, 'right')).toBe(' 完了');
    expect(fit('🚀', 3, 'right')).toBe(' 🚀');
  });

  it('gives nothing for no room, and an ellipsis alone for one cell', () => {
    expect(fit('完了', 0)).toBe('');
    expect(fit('完了', 1)).toBe('…');
  });
});
