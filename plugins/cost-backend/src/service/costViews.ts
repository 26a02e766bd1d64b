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
} as const;
