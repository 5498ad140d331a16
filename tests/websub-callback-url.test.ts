/**
 * The callback check, case by case: every form of a loopback, private,
 * link-local, unique-local, multicast or unspecified address is refused,
 * including the ones the WHATWG URL parser normalises (decimal and hex
 * IPv4, IPv4-mapped IPv6, NAT64), while public addresses and the edges just
 * outside each private block pass. Names are not resolved here (the
 * outbound fetch checks and pins each connection).
 */
import { describe, expect, it } from 'vitest';
import { checkCallbackForm, isRefusal, nonPublicAddressReason, parseIpv6 } from '../src/websub/callback-url.js';

const refusal = (url: string, allowPrivate = false) => {
  const r = checkCallbackForm(url, allowPrivate);
  return isRefusal(r) ? r.reason : null;
};

describe('callback URLs', () => {
  it('refuses every private, loopback, link-local and special address, however it is written', () => {
    const cases: [string, string][] = [
      ['http://127.0.0.1/cb', 'host 127.0.0.1 is a loopback address'],
      ['http://127.1/cb', 'host 127.0.0.1 is a loopback address'],
      ['http://2130706433/cb', 'host 127.0.0.1 is a loopback address'],
      ['http://0x7f.0.0.1/cb', 'host 127.0.0.1 is a loopback address'],
      ['http://0.0.0.0/cb', 'host 0.0.0.0 is an unspecified ("this network") address'],
      ['http://10.255.0.1/cb', 'host 10.255.0.1 is a private address'],
      ['http://172.16.0.1/cb', 'host 172.16.0.1 is a private address'],
      ['http://172.31.255.255/cb', 'host 172.31.255.255 is a private address'],
      ['http://192.168.1.1/cb', 'host 192.168.1.1 is a private address'],
      ['http://100.64.0.1/cb', 'host 100.64.0.1 is a shared (CGNAT) address'],
      ['http://100.127.255.254/cb', 'host 100.127.255.254 is a shared (CGNAT) address'],
      ['http://169.254.169.254/latest/meta-data/', 'host 169.254.169.254 is a link-local address'],
      ['http://224.0.0.1/cb', 'host 224.0.0.1 is a multicast address'],
      ['http://255.255.255.255/cb', 'host 255.255.255.255 is a reserved or broadcast address'],
      ['http://[::1]/cb', 'host [::1] is a loopback address'],
      ['http://[::]/cb', 'host [::] is an unspecified address'],
      ['http://[fe80::1]/cb', 'host [fe80::1] is a link-local address'],
      ['http://[febf::1]/cb', 'host [febf::1] is a link-local address'],
      ['http://[fc00::1]/cb', 'host [fc00::1] is a unique-local address'],
      ['http://[fd12:3456:789a::1]/cb', 'host [fd12:3456:789a::1] is a unique-local address'],
      ['http://[ff02::1]/cb', 'host [ff02::1] is a multicast address'],
      ['http://[::ffff:127.0.0.1]/cb', 'host [::ffff:7f00:1] is a loopback address'],
      ['http://[::ffff:169.254.169.254]/cb', 'host [::ffff:a9fe:a9fe] is a link-local address'],
      ['http://[::ffff:10.0.0.1]/cb', 'host [::ffff:a00:1] is a private address'],
      ['http://[64:ff9b::a9fe:a9fe]/cb', 'host [64:ff9b::a9fe:a9fe] is a link-local address'],
      ['http://[2002:c0a8:101::1]/cb', 'host [2002:c0a8:101::1] is a private address'],
      ['http://localhost/cb', 'host localhost names this machine (localhost)'],
      ['http://LOCALHOST./cb', 'host localhost. names this machine (localhost)'],
      ['http://app.localhost:8080/cb', 'host app.localhost names this machine (localhost)'],
      ['http://metadata.google.internal/', 'host metadata.google.internal is an internal name (*.internal)'],
    ];
    expect(cases.map(([url]) => [url, refusal(url)])).toEqual(cases);
  });

  it('refuses other schemes, credentials, fragments, relative and overlong URLs, even when private hosts are allowed', () => {
    for (const allowPrivate of [false, true]) {
      expect(refusal('javascript:alert(1)', allowPrivate)).toBe('must be an http or https URL, not javascript:');
      expect(refusal('ftp://partner.example/cb', allowPrivate)).toBe('must be an http or https URL, not ftp:');
      expect(refusal('https://user:pw@partner.example/cb', allowPrivate)).toBe('must not carry credentials');
      expect(refusal('https://partner.example/cb#', allowPrivate)).toBe('must not have a fragment');
      expect(refusal('/cb', allowPrivate)).toBe('is not an absolute URL');
      expect(refusal(`https://partner.example/${'a'.repeat(800)}`, allowPrivate)).toBe('is longer than 800 characters');
    }
  });

  it('accepts public addresses and the addresses just outside each private block', () => {
    for (const url of [
      'https://partner.example/websub?feed=lapas',
      'http://93.184.216.34/cb',
      'http://172.32.0.1/cb',
      'http://172.15.255.255/cb',
      'http://100.128.0.1/cb',
      'http://169.255.0.1/cb',
      'http://11.0.0.1/cb',
      'http://[2606:4700:4700::1111]/cb',
      'http://[::ffff:8.8.8.8]/cb',
      'http://[2001:4860::1]/cb',
    ]) {
      expect([url, refusal(url)]).toEqual([url, null]);
    }
    expect(refusal('http://127.0.0.1:9999/cb', true)).toBe(null);
  });

  it('parses IPv6 in all its forms', () => {
    expect(parseIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('[::ffff:1.2.3.4]')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpv6('1:2:3:4:5:6:7.8.9.10')).toEqual([1, 2, 3, 4, 5, 6, 0x0708, 0x090a]);
    expect(parseIpv6('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    for (const bad of ['1::2::3', '12345::', ':1::', '1:2:3:4:5:6:7:8:9', '::1.2.3', 'g::1']) expect([bad, parseIpv6(bad)]).toEqual([bad, null]);
    expect(nonPublicAddressReason('fe80::1%eth0')).toBe('a link-local address');
  });
});
