import { AwsError } from '../../protocols/types';
import { parseQuery, project, runQuery, selectFields } from './query';

const docs = [
  {
    resourceType: 'AWS::DynamoDB::Table',
    resourceId: 'orders',
    accountId: '111111111111',
    awsRegion: 'eu-west-2',
    tags: [{ key: 'service', value: 'orders-api', tag: 'service=orders-api' }],
    configuration: {
      itemCount: 40,
      replicas: [
        { regionName: 'eu-west-1', replicaStatus: 'ACTIVE' },
        { regionName: 'us-east-1', replicaStatus: 'CREATING' },
      ],
    },
  },
  {
    resourceType: 'AWS::DynamoDB::Table',
    resourceId: 'ledger',
    accountId: '222222222222',
    awsRegion: 'eu-west-1',
    tags: [],
    configuration: { itemCount: 7, replicas: [] },
  },
  {
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'files',
    accountId: '111111111111',
    awsRegion: 'eu-west-2',
    tags: [{ key: 'service', value: 'files-api', tag: 'service=files-api' }],
    configuration: null,
  },
];

const run = (expression: string) => runQuery(parseQuery(expression), docs);

const rejection = (expression: string) => {
  try {
    parseQuery(expression);
  } catch (e) {
    return e as AwsError;
  }
  throw new Error(`expected '${expression}' to be rejected`);
};

describe('the AWS Config query subset', () => {
  it('matches any element of an array a path crosses, and returns every element', () => {
    expect(
      run(
        "SELECT resourceId, configuration.replicas.regionName WHERE configuration.replicas.replicaStatus = 'CREATING'",
      ),
    ).toEqual([
      {
        resourceId: 'orders',
        configuration: {
          replicas: [{ regionName: 'eu-west-1' }, { regionName: 'us-east-1' }],
        },
      },
    ]);
  });

  it('combines AND, OR, NOT, IN, BETWEEN and LIKE with SQL precedence', () => {
    expect(
      run(
        "SELECT resourceId WHERE resourceType = 'AWS::S3::Bucket' OR resourceType = 'AWS::DynamoDB::Table' AND NOT awsRegion = 'eu-west-1'",
      ).map(r => r.resourceId),
    ).toEqual(['orders', 'files']);
    expect(
      run(
        "SELECT resourceId WHERE accountId IN ('222222222222') OR configuration.itemCount BETWEEN 30 AND 50",
      ).map(r => r.resourceId),
    ).toEqual(['orders', 'ledger']);
    expect(
      run("SELECT resourceId WHERE resourceType LIKE 'AWS::Dynamo%'").map(
        r => r.resourceId,
      ),
    ).toEqual(['orders', 'ledger']);
    expect(
      run("SELECT resourceId WHERE tags.value NOT IN ('orders-api')").map(
        r => r.resourceId,
      ),
    ).toEqual(['ledger', 'files']);
  });

  it('groups, counts and orders', () => {
    const query = parseQuery(
      'SELECT resourceType, COUNT(*), SUM(configuration.itemCount) GROUP BY resourceType ORDER BY COUNT(*) DESC',
    );
    expect(runQuery(query, docs)).toEqual([
      {
        resourceType: 'AWS::DynamoDB::Table',
        'COUNT(*)': 2,
        'SUM(configuration.itemCount)': 47,
      },
      { resourceType: 'AWS::S3::Bucket', 'COUNT(*)': 1 },
    ]);
    expect(selectFields(query)).toEqual([
      { Name: 'resourceType' },
      { Name: 'COUNT(*)' },
      { Name: 'SUM(configuration.itemCount)' },
    ]);
    expect(
      run('SELECT resourceId ORDER BY configuration.itemCount ASC').map(
        r => r.resourceId,
      ),
    ).toEqual(['ledger', 'orders', 'files']);
  });

  it('keeps a null configuration when it is selected whole', () => {
    expect(project(docs[2], ['resourceId', 'configuration'])).toEqual({
      resourceId: 'files',
      configuration: null,
    });
  });

  it('rejects what the language lacks, naming the problem', () => {
    for (const [expression, problem] of [
      ['SELECT resourceId FROM x', /FROM is not supported/],
      ["SELECT resourceId WHERE resourceId LIKE '%ers'", /suffix wildcards/],
      ["SELECT resourceId WHERE resourceId LIKE 'or%'", /three characters/],
      ['SELECT resourceId WHERE resourceId = NULL', /NULL/],
      ['SELECT resourceType, COUNT(*)', /GROUP BY/],
      ['SELECT COUNT(MAX(resourceId))', /other functions/],
      ['SELECT foo', /Unknown property 'foo'/],
      ["SELECT resourceId WHERE resourceId = 'x", /Unterminated/],
      ['SELECT resourceId GROUP BY a.b, resourceId', /Unknown property/],
    ] as const) {
      const error = rejection(expression);
      expect(error.code).toBe('InvalidExpressionException');
      expect(error.message).toMatch(problem);
    }
  });
});
