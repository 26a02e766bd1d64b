import {
  DR_RESOURCE_TYPES,
  DrResourceType,
} from '@internal/dr-readiness-common';

/** `arn:aws:<service>:<region>:<account>:<type>[:/]<id>` -> its parts. */
export function parseArn(arn: string): {
  service: string;
  region: string;
  accountId: string;
  resource: string;
} {
  const [, , service = '', region = '', accountId = '', ...rest] =
    arn.split(':');
  return { service, region, accountId, resource: rest.join(':') };
}

const RESOURCE_TYPE_NAMES: Record<string, string> = {
  cluster: 'cluster',
  table: 'table',
  replicationgroup: 'replicationgroup',
  key: 'key',
  secret: 'secret',
};

/** The Tagging API's `service:type` of an ARN, e.g. `rds:cluster`. */
export function resourceTypeOf(arn: string): string {
  const { service, resource } = parseArn(arn);
  if (service === 's3') return 's3:bucket';
  const type = resource.split(/[:/]/)[0];
  return `${service}:${RESOURCE_TYPE_NAMES[type] ?? type}`;
}

export const isDrType = (type: string): type is DrResourceType =>
  DR_RESOURCE_TYPES.some(known => known === type);

/** The name a describe call takes: the bucket, the table, ...; a secret's whole ARN (DescribeSecret takes the ARN). */
export function lastSegment(arn: string): string {
  const { service, resource } = parseArn(arn);
  if (service === 's3') return resource;
  if (service === 'secretsmanager') return arn;
  return resource.split(/[:/]/).slice(1).join('/');
}

/** The region of an ARN ('' for none). */
export const regionOfArn = (arn: string | undefined) =>
  arn ? parseArn(arn).region : '';

/** Type guard for lists the SDK types as `(string | undefined)[]`. */
export const isString = (value: string | undefined): value is string =>
  value !== undefined;
