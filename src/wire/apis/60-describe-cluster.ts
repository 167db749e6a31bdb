/**
 * DescribeCluster (key 60), version 0 (flexible from the start, KIP-700): the cluster id, the
 * controller and the live brokers at their listeners. kafkalite has no DescribeCluster handler:
 * the answer is the broker's Metadata answer for no topics, which holds the same facts.
 * Not modelled: authorized operations. Not served: v1 (endpoint types, KIP-919).
 */
import type { ApiCodec } from '../api-codec.js'
import { field, structs } from '../schema.js'

export const describeClusterCodec: ApiCodec = {
  key: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 0,
  request: { flexibleFrom: 0, fields: [field('includeClusterAuthorizedOperations', 'bool', '0+')] },
  response: {
    flexibleFrom: 0,
    fields: [
      field('throttleTimeMs', 'int32', '0+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+' }),
      field('clusterId', 'string', '0+'),
      field('controllerId', 'int32', '0+', { default: -1 }),
      structs('brokers', '0+', [field('brokerId', 'int32', '0+'), field('host', 'string', '0+'), field('port', 'int32', '0+'), field('rack', 'string', '0+', { nullable: '0+' })]),
      field('clusterAuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
    ],
  },
  async serve(ctx) {
    const metadata = await ctx.send('Metadata', { topics: [], allowAutoTopicCreation: false })
    return {
      clusterId: metadata.clusterId,
      controllerId: metadata.controllerId,
      brokers: metadata.brokers.map((b) => ({ brokerId: b.nodeId, ...(ctx.address(b.nodeId) ?? { host: b.host, port: b.port }), rack: b.rack })),
    }
  },
}
