import { describe, expect, test } from 'vitest';
import { ConfigError } from './config-error.ts';
import { PlaceholderSecretError } from './placeholder-secret-error.ts';
import { refusePlaceholder } from './refuse-placeholder.ts';

describe('refusePlaceholder', () => {
  test.each(['replace-me', 'replace-me-with-a-long-random-string', ' Replace-Me-too'])(
    '%j: SECRET_PLACEHOLDER naming the variable and the Secret, never the value',
    (value) => {
      let caught: unknown;
      try {
        refusePlaceholder('SE_ROUTER_PASSWORD', value, 'the Secret selenium-grid-router');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PlaceholderSecretError);
      expect(caught).toBeInstanceOf(ConfigError); // runMain: exit 2
      expect(caught).toMatchObject({
        code: 'SECRET_PLACEHOLDER',
        message:
          'SE_ROUTER_PASSWORD is still the shipped placeholder; set it in the Secret selenium-grid-router (k8s/README.md, Security)',
      });
      expect((caught as Error).message.toLowerCase()).not.toContain('replace-me');
    },
  );

  test('without a known Secret it asks for a real value', () => {
    expect(() => refusePlaceholder('the password in X_URL', 'replace-me')).toThrow(
      'the password in X_URL is still the shipped placeholder; set a real value (k8s/README.md, Security)',
    );
  });

  test('a real value, an empty one and none pass through', () => {
    expect(refusePlaceholder('P', 's3cretPW')).toBe('s3cretPW');
    expect(refusePlaceholder('P', 'do-not-replace-me')).toBe('do-not-replace-me');
    expect(refusePlaceholder('P', '')).toBe('');
    expect(refusePlaceholder('P', undefined)).toBeUndefined();
  });
});
