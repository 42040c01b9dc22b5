import { compile } from '@fastify/proxy-addr';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * Reads the signed-in user a trusted reverse proxy (Authentik's forward auth) puts in TRUST_PROXY_AUTH_HEADER — only
 * when the TCP peer itself is a trusted proxy (TRUST_PROXY), so a client on the LAN that talks to the app directly
 * cannot claim a name by sending the header. Returns null when off, untrusted, absent or not a plain name.
 */
export function proxyIdentityReader(config: Pick<Config, 'auth' | 'security'>): (request: FastifyRequest) => string | null {
  const header = config.auth.trustProxyAuthHeader;
  if (header === null) return () => null;
  const t = config.security.trustProxy;
  const trusted: (addr: string) => boolean =
    t === true ? () => true : typeof t === 'number' ? () => t > 0 : Array.isArray(t) && t.length > 0 ? ((fn) => (addr: string) => fn(addr, 0))(compile(t)) : () => false;
  return (request) => {
    const peer = request.socket.remoteAddress;
    if (!peer || !trusted(peer)) return null;
    const raw = request.headers[header];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (typeof value !== 'string') return null;
    const name = value.trim();
    // A user name, not a payload: printable, no control characters, bounded.
    return name !== '' && name.length <= 128 && /^[^\u0000-\u001f\u007f]+$/.test(name) ? name : null;
  };
}
