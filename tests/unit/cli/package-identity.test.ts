import { describe, expect, it } from 'vitest';
import { OVERSEER_VERSION, packageIdentity } from '../../../src/main/version.js';

describe('the version read from package.json', () => {
  it('takes the name and version a package.json declares', () => {
    expect(packageIdentity('{"name":"overseer","version":"0.1.0","private":true}')).toEqual({
      name: 'overseer',
      version: '0.1.0',
    });
  });

  it('refuses text that is not JSON, not an object, or lacks a string name or version', () => {
    for (const text of ['', '{', '[]', 'null', '"overseer"', '{"name":"overseer"}', '{"version":"1"}']) {
      expect(packageIdentity(text)).toBeNull();
    }
    expect(packageIdentity('{"name":"overseer","version":1}')).toBeNull();
    expect(packageIdentity('{"name":["overseer"],"version":"1"}')).toBeNull();
  });

  it("finds this repository's own version", () => {
    expect(OVERSEER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
