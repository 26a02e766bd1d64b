import { epochSeconds } from './awsJson';
import { RestRoute, routeRequest } from './rest';
import { AwsError, RawRequest, RawResponse, WireProtocol } from './types';

/**
 * restJson1: the operation is the method and path (labels in the path, paging and filters in
 * the query), responses are JSON with epoch-second timestamps, errors name their code in
 * `x-amzn-ErrorType` with a JSON `{ Message }` body.
 */
export function restJsonProtocol(routes: RestRoute[]): WireProtocol {
  return {
    name: 'restJson1',
    throttling: { code: 'ThrottlingException', status: 400 },
    accessDenied: { code: 'AccessDeniedException', status: 403 },
    unknownOperationCode: 'UnknownOperationException',
    unknownOperationStatus: 404,
    decode(request: RawRequest) {
      const { operation, input } = routeRequest(routes, request);
      const text = request.body.toString('utf8');
      if (text.trim() !== '') {
        try {
          Object.assign(input, JSON.parse(text));
        } catch {
          throw new AwsError(
            'SerializationException',
            'The request body is not valid JSON',
          );
        }
      }
      return { operation, input };
    },
    encode(
      _operation: string,
      output: unknown,
      requestId: string,
    ): RawResponse {
      return {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify(output ?? {}, epochSeconds),
      };
    },
    encodeError(error: AwsError, requestId: string): RawResponse {
      return {
        status: error.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': error.code,
          ...error.extra.headers,
        },
        body: JSON.stringify({ Code: error.code, Message: error.message }),
      };
    },
  };
}
