import { RestRoute, routeRequest } from './rest';
import { escapeXml, xmlContent } from './xml';
import { AwsError, RawRequest, RawResponse, WireProtocol } from './types';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface RestXmlOptions {
  routes: RestRoute[];
  namespace: string;
  throttling: { code: string; status: number };
  accessDenied: { code: string; status: number };
  unknownOperation: { code: string; status: number };
  /** Root element of an operation's response document (Route 53: `<Operation>Response`; S3: the payload's name). */
  responseRoot(operation: string): string;
  /** Headers carrying the request id (S3: x-amz-request-id and x-amz-id-2). */
  requestIdHeaders(requestId: string): Record<string, string>;
  /** The error document: S3's bare `<Error>`, or `<ErrorResponse><Error>` elsewhere. */
  errorStyle: 's3' | 'errorResponse';
  /** Rewrites a request before routing (S3 virtual-hosted-style addressing). */
  rewrite?(request: RawRequest): RawRequest;
  /** An empty document is one self-closing root element, as S3 writes it (`<LocationConstraint xmlns="..."/>`). */
  selfClosingEmptyRoot?: boolean;
}

/** restXml: the operation is the method, path and sub-resource; responses and errors are XML documents. */
export function restXmlProtocol(options: RestXmlOptions): WireProtocol {
  return {
    name: 'restXml',
    throttling: options.throttling,
    accessDenied: options.accessDenied,
    unknownOperationCode: options.unknownOperation.code,
    unknownOperationStatus: options.unknownOperation.status,
    decode(request: RawRequest) {
      return routeRequest(
        options.routes,
        options.rewrite ? options.rewrite(request) : request,
      );
    },
    encode(operation: string, output: unknown, requestId: string): RawResponse {
      const root = options.responseRoot(operation);
      const content = xmlContent(output);
      const document =
        content === '' && options.selfClosingEmptyRoot
          ? `<${root} xmlns="${options.namespace}"/>`
          : `<${root} xmlns="${options.namespace}">${content}</${root}>`;
      return {
        status: 200,
        headers: {
          'content-type': 'application/xml',
          ...options.requestIdHeaders(requestId),
        },
        body: `${XML_DECLARATION}${document}`,
      };
    },
    encodeError(error: AwsError, requestId: string): RawResponse {
      const fields = Object.entries(error.extra.fields ?? {})
        .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
        .join('');
      const body =
        options.errorStyle === 's3'
          ? `${XML_DECLARATION}<Error><Code>${escapeXml(
              error.code,
            )}</Code><Message>${escapeXml(error.message)}</Message>${fields}` +
            `<RequestId>${requestId}</RequestId><HostId>${Buffer.from(
              requestId,
            ).toString('base64')}</HostId></Error>`
          : `${XML_DECLARATION}<ErrorResponse xmlns="${options.namespace}"><Error><Type>${error.fault}</Type>` +
            `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(
              error.message,
            )}</Message>${fields}</Error>` +
            `<RequestId>${requestId}</RequestId></ErrorResponse>`;
      return {
        status: error.status,
        headers: {
          'content-type': 'application/xml',
          ...options.requestIdHeaders(requestId),
          ...error.extra.headers,
        },
        body,
      };
    },
  };
}
