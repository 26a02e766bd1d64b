import { escapeXml, xmlContent } from './xml';
import { AwsError, RawRequest, RawResponse, WireProtocol } from './types';

/**
 * awsQuery: form-encoded `Action=...&Version=...` (POST body or GET query), XML responses
 * wrapped in `<OperationResponse><OperationResult>`, errors as `<ErrorResponse>`.
 */
export function awsQueryProtocol(namespace: string): WireProtocol {
  return {
    name: 'awsQuery',
    throttling: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    unknownOperationCode: 'InvalidAction',
    decode(request: RawRequest) {
      const params = new URLSearchParams(request.query);
      if (request.method === 'POST') {
        for (const [key, value] of new URLSearchParams(
          request.body.toString('utf8'),
        ))
          params.append(key, value);
      }
      const action = params.get('Action');
      if (!action)
        throw new AwsError(
          'MissingAction',
          'The request must contain the parameter Action',
        );
      return { operation: action, input: Object.fromEntries(params) };
    },
    encode(operation: string, output: unknown, requestId: string): RawResponse {
      const body =
        `<${operation}Response xmlns="${namespace}"><${operation}Result>${xmlContent(
          output,
        )}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body,
      };
    },
    encodeError(error: AwsError, requestId: string): RawResponse {
      return queryError(namespace, error, requestId);
    },
  };
}

export function queryError(
  namespace: string,
  error: AwsError,
  requestId: string,
): RawResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${
      error.fault
    }</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(
      error.message,
    )}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  };
}
