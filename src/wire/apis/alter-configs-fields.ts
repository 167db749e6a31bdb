/** The per-resource answer AlterConfigs and IncrementalAlterConfigs share, in wire names. */
import { field, structs, type Field } from '../schema.js'

/** `responses: [errorCode, errorMessage, resourceType, resourceName]`. */
export const alterConfigsResponseFields: readonly Field[] = [
  field('throttleTimeMs', 'int32', '0+'),
  structs('responses', '0+', [
    field('errorCode', 'int16', '0+'),
    field('errorMessage', 'string', '0+', { nullable: '0+' }),
    field('resourceType', 'int8', '0+'),
    field('resourceName', 'string', '0+'),
  ]),
]
