/**
 * The Cost Explorer SERVICE a resource's charges appear under, from its Tagging API type, so a
 * resource sits next to the unallocated spend line it explains. NAT gateways, EBS volumes and
 * snapshots bill as `EC2 - Other`, not as compute.
 */
const BY_TYPE: Record<string, string> = {
  'ec2:instance': 'Amazon Elastic Compute Cloud - Compute',
  'ec2:natgateway': 'EC2 - Other',
  'ec2:volume': 'EC2 - Other',
  'ec2:snapshot': 'EC2 - Other',
  'ec2:elastic-ip': 'EC2 - Other',
};

const BY_SERVICE: Record<string, string> = {
  ec2: 'Amazon Elastic Compute Cloud - Compute',
  s3: 'Amazon Simple Storage Service',
  rds: 'Amazon Relational Database Service',
  dynamodb: 'Amazon DynamoDB',
  elasticache: 'Amazon ElastiCache',
  sqs: 'Amazon Simple Queue Service',
  sns: 'Amazon Simple Notification Service',
  kms: 'AWS Key Management Service',
  secretsmanager: 'AWS Secrets Manager',
  kafka: 'Amazon Managed Streaming for Apache Kafka',
  lambda: 'AWS Lambda',
  logs: 'AmazonCloudWatch',
  cloudwatch: 'AmazonCloudWatch',
  ecs: 'Amazon Elastic Container Service',
  eks: 'Amazon Elastic Container Service for Kubernetes',
  elasticloadbalancing: 'Amazon Elastic Load Balancing',
  backup: 'AWS Backup',
  route53: 'Amazon Route 53',
};

/** `arn:aws:ec2:eu-west-2:318402765190:natgateway/nat-0abc` -> `ec2:natgateway`. */
export function resourceTypeOf(arn: string): string {
  const [, , service = '', , , resource = ''] = arn.split(':');
  const type = resource.split(/[/:]/)[0];
  if (service === 's3') return 's3:bucket';
  return type ? `${service}:${type}` : service;
}

export function awsServiceOf(resourceType: string): string {
  const service = resourceType.split(':')[0];
  return BY_TYPE[resourceType] ?? BY_SERVICE[service] ?? service;
}

/** The account an ARN names; S3 bucket ARNs name none, so the listing's account is used. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
