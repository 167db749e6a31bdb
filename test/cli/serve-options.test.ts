import { describe, expect, it } from 'vitest'
import { parseServeOptions, UsageError } from '../../src/cli/serve-options.js'

describe('kafkalite serve options', () => {
  it('defaults to 3 brokers from port 9092 on 127.0.0.1, replication factor min(3, brokers), min.insync 1', () => {
    expect(parseServeOptions([])).toEqual({ brokers: 3, port: 9092, host: '127.0.0.1', replicationFactor: 3, minInsync: 1, partitions: 1, seed: undefined, logLevel: 'info', console: undefined })
    expect(parseServeOptions(['--brokers', '1']).replicationFactor).toBe(1)
  })

  it('reads every flag', () => {
    expect(parseServeOptions(['--brokers', '5', '--port', '0', '--replication-factor', '3', '--min-insync', '2', '--partitions', '6', '--seed', '42', '--log-level', 'debug'])).toEqual({
      brokers: 5,
      port: 0,
      host: '127.0.0.1',
      replicationFactor: 3,
      minInsync: 2,
      partitions: 6,
      seed: 42,
      logLevel: 'debug',
      console: undefined,
    })
    expect(parseServeOptions(['--console']).console).toEqual({ port: 0 })
    expect(parseServeOptions(['--console', '--console-port', '8080']).console).toEqual({ port: 8080 })
  })

  it('reads SASL users and mechanisms and the TLS key and certificate files', () => {
    expect(
      parseServeOptions(['--sasl-user', 'alice:s:e:cret', '--sasl-user', 'bob:pw', '--sasl-mechanisms', 'scram-sha-512,PLAIN', '--tls-key', 'k.pem', '--tls-cert', 'c.pem']),
    ).toMatchObject({ saslUsers: { alice: 's:e:cret', bob: 'pw' }, saslMechanisms: ['SCRAM-SHA-512', 'PLAIN'], tls: { keyPath: 'k.pem', certPath: 'c.pem' } })
    expect(() => parseServeOptions(['--sasl-user', 'alice'])).toThrow(/--sasl-user must be name:password/)
    expect(() => parseServeOptions(['--sasl-mechanisms', 'PLAIN'])).toThrow(/needs at least one --sasl-user/)
    expect(() => parseServeOptions(['--sasl-user', 'a:b', '--sasl-mechanisms', 'GSSAPI'])).toThrow(/--sasl-mechanisms takes a list/)
    expect(() => parseServeOptions(['--tls-key', 'k.pem'])).toThrow(/go together/)
  })

  it('rejects unknown flags and impossible values with a message naming the flag', () => {
    expect(() => parseServeOptions(['--bogus'])).toThrow(UsageError)
    expect(() => parseServeOptions(['--brokers', 'two'])).toThrow(/--brokers must be an integer >= 1, got two/)
    expect(() => parseServeOptions(['--brokers', '2', '--replication-factor', '3'])).toThrow(/larger than --brokers 2/)
    expect(() => parseServeOptions(['--min-insync', '4'])).toThrow(/acks=all sends would always fail/)
    expect(() => parseServeOptions(['--log-level', 'loud'])).toThrow(/--log-level must be one of/)
    expect(() => parseServeOptions(['--port', '65535'])).toThrow(/no room for 3 brokers/)
    expect(() => parseServeOptions(['--console-port', '8080'])).toThrow(/--console-port needs --console/)
    expect(() => parseServeOptions(['--console', '--console-port', '70000'])).toThrow(/at most 65535/)
  })
})
