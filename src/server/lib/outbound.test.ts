import { describe, expect, it } from 'vitest';
import { checkOutbound, parseOutboundAllow } from './outbound.ts';

const fakeDns = (map: Record<string, string[]>) => async (host: string) => {
  const a = map[host];
  if (!a) throw new Error('ENOTFOUND');
  return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const none = parseOutboundAllow(undefined);

describe('outbound request guard', () => {
  it.each([
    'http://127.0.0.1/',
    'http://localhost:3000/',
    'http://10.1.2.3/',
    'http://172.20.0.1/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://100.64.0.1/',
    'http://rebind.example/',
  ])('refuses %s', async (url) => {
    const r = await checkOutbound(
      url,
      none,
      fakeDns({ localhost: ['127.0.0.1'], 'rebind.example': ['93.184.216.34', '10.0.0.5'] }),
    );
    expect(r.ok).toBe(false);
  });

  it.each([
    'file:///etc/passwd',
    'gopher://x/',
    'ftp://example.org/',
    'javascript:alert(1)',
    'not a url',
    'http://user:pw@example.org/',
  ])('refuses %s', async (url) => {
    expect((await checkOutbound(url, none, fakeDns({ 'example.org': ['93.184.216.34'] }))).ok).toBe(false);
  });

  it('lets public addresses through and returns the address to connect to', async () => {
    const r = await checkOutbound(
      'https://feeds.example.org/alerts.xml',
      none,
      fakeDns({ 'feeds.example.org': ['93.184.216.34'] }),
    );
    expect(r).toMatchObject({ ok: true, address: '93.184.216.34', family: 4 });
  });

  it('lets an administrator allow a host or a range', async () => {
    const allow = parseOutboundAllow('siem.hq.internal, 10.20.0.0/16');
    const dns = fakeDns({
      'siem.hq.internal': ['10.99.0.7'],
      'other.hq.internal': ['10.20.3.4'],
      'evil.hq.internal': ['10.21.0.1'],
    });
    expect((await checkOutbound('https://siem.hq.internal/hook', allow, dns)).ok).toBe(true);
    expect((await checkOutbound('https://other.hq.internal/hook', allow, dns)).ok).toBe(true);
    expect((await checkOutbound('https://evil.hq.internal/hook', allow, dns)).ok).toBe(false);
  });
});
