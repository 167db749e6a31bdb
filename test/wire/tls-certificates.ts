/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made at test time with
 * the `openssl` command (Debian ships it), valid for two days and deleted with the temporary directory. Undefined
 * where openssl is missing: the TLS tests then skip and say so.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((path) => existsSync(path))

export interface TestCertificates {
  readonly key: string
  readonly cert: string
  readonly ca: string
  /** The CA certificate as a file, for clients configured by path (librdkafka's `ssl.ca.location`). */
  readonly caPath: string
  /** Removes the files. */
  remove(): void
}

/** Makes a CA and a server certificate signed by it (EC P-256: fast to generate). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-tls-'))
  const file = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync(OPENSSL!, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=kafkalite test CA')
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost')
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('san.cnf'))
  return {
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    caPath: file('ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
