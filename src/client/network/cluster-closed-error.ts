/** The error a client gets once its cluster is closed: nothing will ever answer, so it is not retried. */
import { KafkaJSNonRetriableError } from '../errors.js'

/**
 * The client's cluster was closed (`cluster.close()`, or `resetDefaultCluster()` replaced the
 * default cluster). A client outlived the cluster it was made on: disconnect clients before
 * closing, or make new ones on the new cluster.
 */
export class KafkaliteClusterClosedError extends KafkaJSNonRetriableError {
  override name = 'KafkaliteClusterClosedError'
}
