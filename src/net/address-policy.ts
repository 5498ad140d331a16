/**
 * Which addresses Warta may connect to when it fetches something on behalf
 * of someone else (WebSub callbacks, registered sources, images): never
 * this machine or a private network unless a setting allows it. Loopback,
 * RFC 1918, CGNAT, link-local (and so the cloud metadata address
 * 169.254.169.254), unique-local, multicast, unspecified, documentation and
 * the IPv4-mapped, IPv4-compatible, SIIT, NAT64, 6to4 and Teredo forms that
 * embed or tunnel to such addresses are all refused. Runtime-free.
 */

/** Parses an IPv4 dotted quad into its four octets; null when it is not one. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Parses an IPv6 address (brackets allowed, embedded IPv4 tail allowed) into 8 groups; null when it is not one. */
export function parseIpv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (s.includes('%')) s = s.slice(0, s.indexOf('%'));
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  let tail: number[] = [];
  if (s.includes('.')) {
    const at = s.lastIndexOf(':');
    const v4 = parseIpv4(s.slice(at + 1));
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    s = s.slice(0, at + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 && known !== 8) return null;
  if (halves.length === 2 && known > 7) return null;
  const zeros = halves.length === 2 ? 8 - known : 0;
  return [...head.map((g) => parseInt(g, 16)), ...Array<number>(zeros).fill(0), ...rest.map((g) => parseInt(g, 16)), ...tail];
}

const V4_BLOCKED: [number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'an unspecified ("this network") address'],
  [[10, 0, 0, 0], 8, 'a private address'],
  [[100, 64, 0, 0], 10, 'a shared (CGNAT) address'],
  [[127, 0, 0, 0], 8, 'a loopback address'],
  [[169, 254, 0, 0], 16, 'a link-local address'],
  [[172, 16, 0, 0], 12, 'a private address'],
  [[192, 0, 0, 0], 24, 'an IETF protocol address'],
  [[192, 0, 2, 0], 24, 'a documentation address'],
  [[192, 168, 0, 0], 16, 'a private address'],
  [[198, 18, 0, 0], 15, 'a benchmarking address'],
  [[198, 51, 100, 0], 24, 'a documentation address'],
  [[203, 0, 113, 0], 24, 'a documentation address'],
  [[224, 0, 0, 0], 4, 'a multicast address'],
  [[240, 0, 0, 0], 4, 'a reserved or broadcast address'],
];

function v4Blocked(o: number[]): string | null {
  const value = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  for (const [base, bits, why] of V4_BLOCKED) {
    const b = ((base[0]! << 24) | (base[1]! << 16) | (base[2]! << 8) | base[3]!) >>> 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === (b & mask) >>> 0) return why;
  }
  return null;
}

const v4Of = (g: number[], at: number) => [g[at]! >> 8, g[at]! & 0xff, g[at + 1]! >> 8, g[at + 1]! & 0xff];

function v6Blocked(g: number[]): string | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'an unspecified address';
  if (zeroUpTo(7) && g[7] === 1) return 'a loopback address';
  if (zeroUpTo(5) && g[5] === 0xffff) return v4Blocked(v4Of(g, 6)) ?? null; // IPv4-mapped
  // SIIT (RFC 6052/7915 "IPv4-translated", ::ffff:0:a.b.c.d): a translator forwards it to the embedded IPv4 address.
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) return v4Blocked(v4Of(g, 6)) ?? null;
  if (zeroUpTo(6)) return v4Blocked(v4Of(g, 6)) ?? null; // IPv4-compatible (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Blocked(v4Of(g, 6)); // NAT64
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'a local-use NAT64 address';
  if (g[0] === 0x2002) return v4Blocked(v4Of(g, 1)); // 6to4 embeds an IPv4 address
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'a documentation address';
  // Teredo (2001::/32) tunnels to an IPv4 address of the relay's choosing: no callback or source needs it.
  if (g[0] === 0x2001 && g[1] === 0) return 'a Teredo tunnel address';
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'a discard-only address';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'a unique-local address';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((g[0]! & 0xff00) === 0xff00) return 'a multicast address';
  return null;
}

/** Why an IP address literal is not public (loopback, private, link-local…); null when it is public or not an IP literal. */
export function nonPublicAddressReason(address: string): string | null {
  const v4 = parseIpv4(address);
  if (v4) return v4Blocked(v4);
  const v6 = parseIpv6(address);
  return v6 ? v6Blocked(v6) : null;
}

/** Why a host name (or IP literal) may not be connected to; null when it may (a name may still resolve to a private address: see outbound connectors). */
export function hostnameReason(hostname: string): string | null {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'names this machine (localhost)';
  if (h.endsWith('.internal') || h === 'internal') return 'is an internal name (*.internal)';
  if (h === '') return 'is empty';
  const address = nonPublicAddressReason(h);
  return address ? `is ${address}` : null;
}
