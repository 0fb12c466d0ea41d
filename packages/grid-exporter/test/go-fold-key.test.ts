import { describe, expect, test } from 'vitest';
import { goFoldKey } from '../bench/go-fold-key.ts';

// Tests of bench/ code live in test/: the unit project only collects {src,test}.
describe('goFoldKey (Go strings.EqualFold classes)', () => {
  test.each([
    ['a', 'A'],
    ['\u00b5', '\u039c'], // micro sign, Greek capital mu
    ['\u00b5', '\u03bc'], // micro sign, Greek small mu
    ['\u017f', 's'], // long s
    ['\u017f', 'S'],
    ['\u212a', 'k'], // Kelvin sign
    ['\u0345', '\u03b9'], // combining ypogegrammeni, iota
    ['node-ABC', 'NODE-abc'],
  ])('%s folds with %s', (a, b) => {
    expect(goFoldKey(a)).toBe(goFoldKey(b));
  });

  test.each([
    ['\u0131', 'i'], // dotless i folds only to itself in Go
    ['\u0131', 'I'],
    ['a', 'b'],
    ['\u00df', 'ss'], // no multi-rune folding in EqualFold
  ])('%s does not fold with %s', (a, b) => {
    expect(goFoldKey(a)).not.toBe(goFoldKey(b));
  });
});
