/**
 * Metadata (key 3), versions 0-9: v1 added racks, the controller and null for "all topics" (v0:
 * an empty list means all), v2 the cluster id, v3 throttle time, v4 allowAutoTopicCreation, v5
 * offline replicas, v7 leader epochs (KIP-320), v8 authorized operations, v9 flexible fields.
 * Every live broker is advertised at its own listener's host and port, so a client connects to the
 * leader of each partition and sees leaders move after a crash.
 *
 * Not modelled: authorized operations (always -2147483648, "not requested"), topic ids (v10+).
 */
import type { MetadataRequest } from '../../protocol/index.js'
import type { ApiCodec } from '../api-codec.js'
import { field, scalars, structs } from '../schema.js'

interface WireMetadata {
  topics: Array<{ name: string }> | null
  allowAutoTopicCreation: boolean
}

export const metadataCodec: ApiCodec = {
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 9,
  request: {
    flexibleFrom: 9,
    fields: [
      structs('topics', '0+', [field('name', 'string', '0+')], { nullable: '1+' }),
      field('allowAutoTopicCreation', 'bool', '4+', { default: true }),
      field('includeClusterAuthorizedOperations', 'bool', '8-10'),
      field('includeTopicAuthorizedOperations', 'bool', '8+'),
    ],
  },
  response: {
    flexibleFrom: 9,
    fields: [
      field('throttleTimeMs', 'int32', '3+'),
      structs('brokers', '0+', [
        field('nodeId', 'int32', '0+'),
        field('host', 'string', '0+'),
        field('port', 'int32', '0+'),
        field('rack', 'string', '1+', { nullable: '1+' }),
      ]),
      field('clusterId', 'string', '2+', { nullable: '2+' }),
      field('controllerId', 'int32', '1+', { default: -1 }),
      structs('topics', '0+', [
        field('errorCode', 'int16', '0+'),
        field('name', 'string', '0+'),
        field('isInternal', 'bool', '1+'),
        structs('partitions', '0+', [
          field('errorCode', 'int16', '0+'),
          field('partitionIndex', 'int32', '0+'),
          field('leaderId', 'int32', '0+'),
          field('leaderEpoch', 'int32', '7+', { default: -1 }),
          scalars('replicaNodes', 'int32', '0+'),
          scalars('isrNodes', 'int32', '0+'),
          scalars('offlineReplicas', 'int32', '5+'),
        ]),
        field('topicAuthorizedOperations', 'int32', '8+', { default: -2147483648 }),
      ]),
      field('clusterAuthorizedOperations', 'int32', '8-10', { default: -2147483648 }),
    ],
  },
  async serve(ctx, message, version) {
    const req = message as unknown as WireMetadata
    const all = req.topics === null || (version === 0 && req.topics.length === 0)
    const request: MetadataRequest = {
      topics: all ? null : req.topics!.map((t) => t.name),
      // Before v4 a broker auto-creates whenever auto.create.topics.enable is on.
      allowAutoTopicCreation: version < 4 ? true : req.allowAutoTopicCreation,
    }
    const response = await ctx.send('Metadata', request)
    return {
      brokers: response.brokers.map((b) => ({ nodeId: b.nodeId, ...(ctx.address(b.nodeId) ?? { host: b.host, port: b.port }), rack: b.rack })),
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      topics: response.topics.map((t) => ({
        errorCode: t.errorCode,
        name: t.topic,
        isInternal: t.isInternal,
        partitions: t.partitions.map((p) => ({
          errorCode: p.errorCode,
          partitionIndex: p.partition,
          leaderId: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicaNodes: p.replicas,
          isrNodes: p.isr,
          offlineReplicas: p.offlineReplicas,
        })),
      })),
    }
  },
}
