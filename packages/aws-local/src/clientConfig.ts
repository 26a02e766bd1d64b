/** Static credentials any SDK client can sign with against the loopback endpoint (it accepts any). */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIAAWSLOCALPORTAL01',
  secretAccessKey: 'aws-local-any-secret-works',
};

/** SDK client configuration for the loopback endpoint: `new CostExplorerClient(awsLocalClientConfig(endpoint))`. */
export function awsLocalClientConfig(
  endpoint: string,
  region = 'eu-west-2',
  credentials = LOCAL_CREDENTIALS,
) {
  return { endpoint, region, credentials };
}
