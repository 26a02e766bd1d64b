/**
 * The names of the grouped views the refresh writes into the store and the readers read: the one
 * thing the writer and the readers share.
 */
export const VIEW = {
  productService: 'product_service',
  productTeam: 'product_team',
  productEnvironment: 'product_environment',
  productAwsService: 'product_aws_service',
  productAccount: 'product_account',
  serviceAwsService: 'service_aws_service',
  teamService: 'team_service',
  coveredTeamService: 'covered_team_service',
  unallocated: (tagKey: string) => `unallocated:${tagKey}`,
  sharedAccount: 'shared_account',
  /** The whole bill by RECORD_TYPE x BILLING_ENTITY: charges no tag can carry, and usage. */
  charges: 'record_type_billing_entity',
} as const;
