import { ConfigError, loadConfig } from '../../src/config/config';

describe('USAGE_RETENTION_DAYS', () => {
  it('defaults to 30 days and takes 1 to 3650', () => {
    expect(loadConfig({}).usageRetentionDays).toBe(30);
    expect(loadConfig({ USAGE_RETENTION_DAYS: '7' }).usageRetentionDays).toBe(7);
  });

  it.each(['0', '3651', 'abc', '1.5'])('refuses %s with one line naming it', (value) => {
    expect(() => loadConfig({ USAGE_RETENTION_DAYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ USAGE_RETENTION_DAYS: value })).toThrow(/^Invalid configuration: USAGE_RETENTION_DAYS must be an integer from 1 to 3650/);
  });
});
