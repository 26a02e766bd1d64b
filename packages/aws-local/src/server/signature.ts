/** The parts of a SigV4 `Authorization` header the endpoint routes and attributes calls by. */
export interface SigV4Credential {
  accessKeyId: string;
  date: string;
  region: string;
  /** The signing name, e.g. `ce`, `tagging`, `sts`: which service the caller meant. */
  service: string;
  signedHeaders: string[];
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * Parses a SigV4 header. The endpoint accepts any static credentials, so it checks that the
 * request is signed and well-formed (the form AWS would reject) but not the signature's value.
 */
export function parseSigV4(
  header: string | undefined,
): SigV4Credential | { problem: string } {
  if (!header) return { problem: 'missing' };
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) return { problem: 'malformed' };
  const signedHeaders = match[5].split(';');
  if (!signedHeaders.includes('host')) return { problem: 'malformed' };
  return {
    accessKeyId: match[1],
    date: match[2],
    region: match[3],
    service: match[4],
    signedHeaders,
  };
}
