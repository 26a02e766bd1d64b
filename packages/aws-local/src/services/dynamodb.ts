import { randomUUID } from 'node:crypto';
import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { revisionOf } from '../estate/changes';
import type { DynamoTable } from '../estate/dr';
import { pageSize } from './common';
import { scan, transactWriteItems } from './dynamodbTransactions';
import {
  AttributeValue,
  Item,
  Placeholders,
  applyUpdate,
  checkAttributeValue,
  evaluateCondition,
  normaliseNumber,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
} from './dynamodbExpressions';

const PITR_DAYS = 35;
const MAX_ITEM_BYTES = 400 * 1024;

function validation(message: string): never {
  throw new AwsError('ValidationException', message);
}

/** A table made by CreateTable: this server's, with its items, beside the estate's read-only tables. */
export interface CreatedTable {
  name: string;
  arn: string;
  tableId: string;
  accountId: string;
  region: string;
  created: Date;
  keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  attributeDefinitions: Array<{
    AttributeName: string;
    AttributeType: 'S' | 'N' | 'B';
  }>;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  throughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  deletionProtection: boolean;
  tableClass?: string;
  sse?: { KMSMasterKeyId?: string };
  /** By canonical key (numbers normalised, so `1` and `1.0` are one item). */
  items: Map<string, Item>;
}

/** This server's created tables, by ARN. */
const createdTables = (ctx: CallContext) =>
  ctx.state('dynamodb', () => new Map<string, CreatedTable>());

function requireTableName(input: Record<string, unknown>): string {
  const name = input.TableName;
  if (typeof name !== 'string' || name === '') {
    validation(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  }
  return name;
}

function findEstateTable(
  name: string,
  ctx: CallContext,
): DynamoTable | undefined {
  return ctx.estate.dr
    .scope(ctx.account.id, ctx.region)
    .tables.find(t => t.name === name || t.arn === name);
}

function findCreatedTable(
  name: string,
  ctx: CallContext,
): CreatedTable | undefined {
  for (const table of createdTables(ctx).values()) {
    if (
      table.accountId === ctx.account.id &&
      table.region === ctx.region &&
      (table.name === name || table.arn === name)
    )
      return table;
  }
  return undefined;
}

/** The global tables version DescribeTable reports (none for a table that is not global). */
function globalTableVersion(t: DynamoTable): string | undefined {
  if (t.replicaRegions.length === 0) return undefined;
  return t.legacyGlobal ? '2017.11.29' : '2019.11.21';
}

function tableNotFound(name: string): never {
  throw new AwsError(
    'ResourceNotFoundException',
    `Requested resource not found: Table: ${name} not found`,
  );
}

/** A table of the caller's account in the signing region, by name or ARN; ResourceNotFoundException otherwise. */
function findTable(
  input: Record<string, unknown>,
  ctx: CallContext,
): { estate: DynamoTable } | { created: CreatedTable } {
  const name = requireTableName(input);
  const created = findCreatedTable(name, ctx);
  if (created) return { created };
  const estate = findEstateTable(name, ctx);
  if (!estate) tableNotFound(name);
  return { estate };
}

/** A table whose items the caller reads or writes: only tables made by CreateTable have items here. */
export function itemTable(
  input: Record<string, unknown>,
  ctx: CallContext,
  operation: string,
): CreatedTable {
  const found = findTable(input, ctx);
  if ('created' in found) return found.created;
  throw new AwsError(
    'AccessDeniedException',
    `User: ${ctx.principal.arn} is not authorized to perform: dynamodb:${operation} on resource: ${found.estate.arn} ` +
      "because the demo estate's tables are read-only in aws-local; create your own table with CreateTable",
  );
}

/** DynamoDB's item size: attribute names plus values (numbers about one byte per two digits). */
function valueBytes(value: AttributeValue): number {
  const [type] = Object.keys(value);
  const v = value[type];
  switch (type) {
    case 'S':
      return Buffer.byteLength(v);
    case 'N':
      return (
        Math.ceil(
          normaliseNumber(v).replace(/e.*$/, '').replace('-', '').length / 2,
        ) + 1
      );
    case 'B':
      return Buffer.from(v, 'base64').length;
    case 'SS':
    case 'BS':
    case 'NS':
      return (v as string[]).reduce(
        (sum, e) => sum + valueBytes({ [type.slice(0, 1)]: e }),
        0,
      );
    case 'M':
      return (
        3 +
        Object.entries(v as Item).reduce(
          (sum, [k, e]) => sum + Buffer.byteLength(k) + valueBytes(e) + 1,
          0,
        )
      );
    case 'L':
      return (
        3 +
        (v as AttributeValue[]).reduce((sum, e) => sum + valueBytes(e) + 1, 0)
      );
    default:
      return 1;
  }
}

const itemBytes = (item: Item) =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );

/** An item from a request: every value checked, the size within DynamoDB's 400 KB. */
export function checkItem(item: unknown, field: string): Item {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    validation(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  const checked: Item = Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      checkAttributeValue(value),
    ]),
  );
  if (itemBytes(checked) > MAX_ITEM_BYTES)
    validation('Item size has exceeded the maximum allowed size');
  return checked;
}

/**
 * The canonical key of an item (PutItem: `source` 'item', DynamoDB's "Missing the key" errors) or
 * of a Key parameter (GetItem, DeleteItem, UpdateItem: exactly the key attributes).
 */
export function keyOf(
  table: CreatedTable,
  item: Item,
  source: 'item' | 'key',
): string {
  if (source === 'key' && Object.keys(item).length !== table.keySchema.length)
    validation('The provided key element does not match the schema');
  const parts = table.keySchema.map(({ AttributeName }) => {
    const expected = table.attributeDefinitions.find(
      d => d.AttributeName === AttributeName,
    )!.AttributeType;
    const value = item[AttributeName];
    if (value === undefined) {
      validation(
        source === 'item'
          ? `One or more parameter values were invalid: Missing the key ${AttributeName} in the item`
          : 'The provided key element does not match the schema',
      );
    }
    const [actual] = Object.keys(value);
    if (actual !== expected) {
      validation(
        source === 'item'
          ? `One or more parameter values were invalid: Type mismatch for key ${AttributeName} expected: ${expected} actual: ${actual}`
          : 'The provided key element does not match the schema',
      );
    }
    if (value[actual] === '') {
      validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${
          actual === 'S' ? 'string' : 'binary'
        } value. Key: ${AttributeName}`,
      );
    }
    if (actual === 'N') return normaliseNumber(value.N);
    return actual === 'B'
      ? Buffer.from(value.B, 'base64').toString('base64')
      : value.S;
  });
  return JSON.stringify(parts);
}

/** The request's expression placeholders, after the legacy parameters aws-local does not take are refused. */
export function placeholdersOf(input: Record<string, unknown>): Placeholders {
  for (const legacy of [
    'Expected',
    'ConditionalOperator',
    'AttributeUpdates',
  ]) {
    if (input[legacy] !== undefined)
      validation(
        `aws-local takes expressions, not the legacy ${legacy} parameter; use ConditionExpression / UpdateExpression`,
      );
  }
  return new Placeholders(
    (input.ExpressionAttributeNames ?? {}) as Record<string, string>,
    (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>,
  );
}

/** Fails the write with ConditionalCheckFailedException (and the item, if asked) when the condition does not hold. */

/** The request's ConditionExpression, parsed with its placeholders; undefined when it has none. */
export function conditionOf(
  input: Record<string, unknown>,
  placeholders: Placeholders,
) {
  return input.ConditionExpression === undefined
    ? undefined
    : parseCondition(
        input.ConditionExpression,
        'ConditionExpression',
        placeholders,
      );
}

function checkCondition(
  condition: ReturnType<typeof parseCondition> | undefined,
  existing: Item | undefined,
  input: Record<string, unknown>,
) {
  if (!condition || evaluateCondition(condition, existing)) return;
  const withItem =
    input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing;
  throw new AwsError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    'Sender',
    withItem ? { members: { Item: existing } } : {},
  );
}

function returnValues(
  input: Record<string, unknown>,
  allowed: string[],
): string {
  const value = input.ReturnValues ?? 'NONE';
  if (typeof value !== 'string' || !allowed.includes(value))
    validation('Return values set to invalid value');
  return value;
}

/** ConsumedCapacity when asked for: a write unit per KB, a read unit per 4 KB (half for eventually consistent reads). */
export function consumed(
  input: Record<string, unknown>,
  table: CreatedTable,
  units: number,
) {
  return input.ReturnConsumedCapacity === 'TOTAL' ||
    input.ReturnConsumedCapacity === 'INDEXES'
    ? { TableName: table.name, CapacityUnits: units }
    : undefined;
}

const writeUnits = (item: Item | undefined) =>
  Math.max(1, Math.ceil((item ? itemBytes(item) : 0) / 1024));

function describeCreated(
  t: CreatedTable,
  status: 'ACTIVE' | 'DELETING' = 'ACTIVE',
) {
  return {
    AttributeDefinitions: t.attributeDefinitions,
    TableName: t.name,
    KeySchema: t.keySchema,
    TableStatus: status,
    CreationDateTime: t.created,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: t.throughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: t.throughput?.WriteCapacityUnits ?? 0,
    },
    TableSizeBytes: [...t.items.values()].reduce(
      (sum, item) => sum + itemBytes(item),
      0,
    ),
    ItemCount: t.items.size,
    TableArn: t.arn,
    TableId: t.tableId,
    BillingModeSummary:
      t.billingMode === 'PAY_PER_REQUEST'
        ? {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: t.created,
          }
        : undefined,
    SSEDescription: t.sse
      ? {
          Status: 'ENABLED',
          SSEType: 'KMS',
          KMSMasterKeyArn: t.sse.KMSMasterKeyId,
        }
      : undefined,
    TableClassSummary: t.tableClass ? { TableClass: t.tableClass } : undefined,
    DeletionProtectionEnabled: t.deletionProtection,
  };
}

/** CreateTable's parameters, checked with DynamoDB's messages. */
function newTable(input: Record<string, any>, ctx: CallContext): CreatedTable {
  const name = requireTableName(input);
  if (name.length < 3 || name.length > 255) {
    validation(
      `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must have length ${
        name.length < 3
          ? 'greater than or equal to 3'
          : 'less than or equal to 255'
      }`,
    );
  }
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    validation(
      `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  }
  const keySchema = input.KeySchema;
  const definitions = input.AttributeDefinitions;
  if (!Array.isArray(keySchema))
    validation(
      "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
  if (!Array.isArray(definitions))
    validation(
      "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    );
  if (keySchema.length < 1 || keySchema.length > 2) {
    validation(
      `1 validation error detected: Value '${JSON.stringify(
        keySchema,
      )}' at 'keySchema' failed to satisfy constraint: Member must have length ${
        keySchema.length < 1
          ? 'greater than or equal to 1'
          : 'less than or equal to 2'
      }`,
    );
  }
  if (keySchema[0]?.KeyType !== 'HASH')
    validation(
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    );
  if (keySchema.length === 2 && keySchema[1]?.KeyType !== 'RANGE')
    validation(
      'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    );
  if (
    keySchema.length === 2 &&
    keySchema[0].AttributeName === keySchema[1].AttributeName
  ) {
    validation(
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    );
  }
  definitions.forEach((d: Record<string, unknown>, i: number) => {
    if (!['S', 'N', 'B'].includes(String(d?.AttributeType))) {
      validation(
        `1 validation error detected: Value '${
          d?.AttributeType
        }' at 'attributeDefinitions.${
          i + 1
        }.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`,
      );
    }
  });
  for (const index of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes']) {
    if (Array.isArray(input[index]) && input[index].length > 0) {
      validation(
        `aws-local's CreateTable does not support ${index} (it has no Query); create the table with its KeySchema only`,
      );
    }
  }
  const keyNames: string[] = keySchema.map(
    (k: Record<string, string>) => k.AttributeName,
  );
  const definedNames: string[] = definitions.map(
    (d: Record<string, string>) => d.AttributeName,
  );
  if (keyNames.some(k => !definedNames.includes(k))) {
    validation(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keyNames.join(
        ', ',
      )}], AttributeDefinitions: [${definedNames.join(', ')}]`,
    );
  }
  if (definedNames.length !== keyNames.length) {
    validation(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  if (billingMode !== 'PROVISIONED' && billingMode !== 'PAY_PER_REQUEST') {
    validation(
      `1 validation error detected: Value '${billingMode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`,
    );
  }
  const throughput = input.ProvisionedThroughput;
  if (
    billingMode === 'PROVISIONED' &&
    (!throughput?.ReadCapacityUnits || !throughput?.WriteCapacityUnits)
  ) {
    validation(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  if (billingMode === 'PAY_PER_REQUEST' && throughput) {
    validation(
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  return {
    name,
    arn: `arn:aws:dynamodb:${ctx.region}:${ctx.account.id}:table/${name}`,
    tableId: randomUUID(),
    accountId: ctx.account.id,
    region: ctx.region,
    created: ctx.now,
    keySchema: keySchema.map((k: Record<string, string>) => ({
      AttributeName: k.AttributeName,
      KeyType: k.KeyType as 'HASH' | 'RANGE',
    })),
    attributeDefinitions: definitions.map((d: Record<string, string>) => ({
      AttributeName: d.AttributeName,
      AttributeType: d.AttributeType as 'S' | 'N' | 'B',
    })),
    billingMode,
    throughput:
      billingMode === 'PROVISIONED'
        ? {
            ReadCapacityUnits: throughput.ReadCapacityUnits,
            WriteCapacityUnits: throughput.WriteCapacityUnits,
          }
        : undefined,
    deletionProtection: input.DeletionProtectionEnabled === true,
    tableClass: input.TableClass,
    sse: input.SSESpecification?.Enabled
      ? { KMSMasterKeyId: input.SSESpecification.KMSMasterKeyId }
      : undefined,
    items: new Map(),
  };
}

/**
 * Amazon DynamoDB over awsJson1_0: the estate's tables (read-only: their global-table replicas and
 * point-in-time recovery), and tables callers make with CreateTable, with items (PutItem, GetItem,
 * UpdateItem, DeleteItem, TransactWriteItems, Scan, condition expressions) kept in this server's memory.
 */
const tableIndex = new WeakMap<DynamoTable[], Map<string, DynamoTable>>();

/** A scope's estate table by name (indexed once per scope: AWS Config describes every table at once). */
function tableByName(
  tables: DynamoTable[],
  name: string,
): DynamoTable | undefined {
  let index = tableIndex.get(tables);
  if (!index) {
    index = new Map(tables.map(t => [t.name, t]));
    tableIndex.set(tables, index);
  }
  return index.get(name);
}

/** An estate table's item count now: it grows a little each time the table changes (`revisionOf`). */
const itemCountOf = (t: DynamoTable, ctx: CallContext) =>
  t.itemCount + 1_000 * (revisionOf(t.arn, ctx.now.getTime()) % 1_000);

/** An estate table as DescribeTable reports it (AWS Config builds its items from it too). */
export function describeEstateTable(t: DynamoTable, ctx: CallContext) {
  return {
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    TableName: t.name,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    TableStatus: 'ACTIVE',
    CreationDateTime: t.created,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 0,
      WriteCapacityUnits: 0,
    },
    // DynamoDB refreshes these about every 6 hours; here they grow each time the table changes.
    TableSizeBytes: itemCountOf(t, ctx) * 412,
    ItemCount: itemCountOf(t, ctx),
    TableArn: t.arn,
    TableId: t.tableId,
    BillingModeSummary: {
      BillingMode: 'PAY_PER_REQUEST',
      LastUpdateToPayPerRequestDateTime: t.created,
    },
    StreamSpecification:
      t.replicaRegions.length > 0
        ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }
        : undefined,
    // A global table lists its replicas in the other regions (version 2019.11.21); a
    // version 2017.11.29 one lists none here: only DescribeGlobalTable shows them.
    GlobalTableVersion: globalTableVersion(t),
    Replicas:
      t.replicaRegions.length > 0 && !t.legacyGlobal
        ? t.replicaRegions.map(region => ({
            RegionName: region,
            ReplicaStatus: t.replicaStatus ?? 'ACTIVE',
            ...(t.replicaStatus === 'INACCESSIBLE_ENCRYPTION_CREDENTIALS'
              ? {
                  ReplicaInaccessibleDateTime: new Date(
                    ctx.now.getTime() - 2 * 86_400_000,
                  ),
                }
              : {}),
            ...(t.replicaStatus === 'CREATING'
              ? { ReplicaStatusPercentProgress: '40' }
              : {}),
            KMSMasterKeyId: tableByName(
              ctx.estate.dr.scope(t.accountId, region).tables,
              t.name,
            )?.kmsKeyArn,
            ReplicaTableClassSummary: { TableClass: 'STANDARD' },
          }))
        : undefined,
    SSEDescription: {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: t.kmsKeyArn,
    },
    TableClassSummary: { TableClass: 'STANDARD' },
  };
}

/** An estate table's DescribeContinuousBackups answer (AWS Config records part of it). */
export function estateContinuousBackups(t: DynamoTable, ctx: CallContext) {
  const now = ctx.now.getTime();
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: t.pointInTimeRecovery
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: t.pitrRecoveryPeriodDays ?? PITR_DAYS,
            EarliestRestorableDateTime: new Date(
              Math.max(
                t.created.getTime(),
                now - (t.pitrRecoveryPeriodDays ?? PITR_DAYS) * 86_400_000,
              ),
            ),
            LatestRestorableDateTime: new Date(now - 5 * 60_000),
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  };
}

export const dynamoDbService: AwsServiceDefinition = {
  signingName: 'dynamodb',
  statsPrefix: 'dynamodb',
  protocol: awsJsonProtocol('1.0', 'DynamoDB_20120810'),
  operations: {
    ListTables: (input: Record<string, unknown>, ctx: CallContext) => {
      const limit = pageSize(
        input.Limit,
        'Limit',
        { min: 1, max: 100, default: 100 },
        'ValidationException',
      );
      const created = [...createdTables(ctx).values()].filter(
        t => t.accountId === ctx.account.id && t.region === ctx.region,
      );
      const names = [
        ...ctx.estate.dr.scope(ctx.account.id, ctx.region).tables,
        ...created,
      ]
        .map(t => t.name)
        .sort();
      const start = input.ExclusiveStartTableName;
      let from = 0;
      if (typeof start === 'string' && start !== '') {
        from = names.findIndex(name => name > start);
        if (from < 0) from = names.length;
      }
      const page = names.slice(from, from + limit);
      const more = from + limit < names.length;
      return {
        TableNames: page,
        LastEvaluatedTableName: more ? page[page.length - 1] : undefined,
      };
    },

    DescribeTable: (input: Record<string, unknown>, ctx: CallContext) => {
      const found = findTable(input, ctx);
      if ('created' in found) return { Table: describeCreated(found.created) };
      return { Table: describeEstateTable(found.estate, ctx) };
    },

    DescribeContinuousBackups: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const found = findTable(input, ctx);
      if ('created' in found) {
        return {
          ContinuousBackupsDescription: {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: {
              PointInTimeRecoveryStatus: 'DISABLED',
            },
          },
        };
      }
      return estateContinuousBackups(found.estate, ctx);
    },

    // Version 2017.11.29 global tables only; any other table is GlobalTableNotFoundException.
    DescribeGlobalTable: (input: Record<string, unknown>, ctx: CallContext) => {
      const name = input.GlobalTableName;
      if (typeof name !== 'string' || name === '')
        validation(
          "1 validation error detected: Value null at 'globalTableName' failed to satisfy constraint: Member must not be null",
        );
      const t = findEstateTable(name, ctx);
      if (!t || !t.legacyGlobal || t.arn === name)
        throw new AwsError(
          'GlobalTableNotFoundException',
          `Global table not found: Global table with name: '${name}' does not exist.`,
        );
      const regions = [t.region, ...t.replicaRegions];
      return {
        GlobalTableDescription: {
          GlobalTableName: t.name,
          GlobalTableArn: `arn:aws:dynamodb::${t.accountId}:global-table/${t.name}`,
          CreationDateTime: t.created,
          GlobalTableStatus: 'ACTIVE',
          ReplicationGroup: regions.map(region => ({
            RegionName: region,
            ReplicaStatus: 'ACTIVE',
          })),
        },
      };
    },

    CreateTable: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = newTable(input, ctx);
      if (
        findCreatedTable(table.name, ctx) ||
        findEstateTable(table.name, ctx)
      ) {
        throw new AwsError(
          'ResourceInUseException',
          `Table already exists: ${table.name}`,
        );
      }
      createdTables(ctx).set(table.arn, table);
      // Active at once: there is nothing to provision.
      return { TableDescription: describeCreated(table) };
    },

    DeleteTable: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = itemTable(input, ctx, 'DeleteTable');
      if (table.deletionProtection) {
        validation(
          'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
        );
      }
      createdTables(ctx).delete(table.arn);
      return { TableDescription: describeCreated(table, 'DELETING') };
    },

    PutItem: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = itemTable(input, ctx, 'PutItem');
      const item = checkItem(input.Item, 'item');
      const key = keyOf(table, item, 'item');
      const returns = returnValues(input, ['NONE', 'ALL_OLD']);
      const placeholders = placeholdersOf(input);
      const condition = conditionOf(input, placeholders);
      placeholders.checkAllUsed();
      const existing = table.items.get(key);
      checkCondition(condition, existing, input);
      table.items.set(key, item);
      return {
        Attributes: returns === 'ALL_OLD' ? existing : undefined,
        ConsumedCapacity: consumed(
          input,
          table,
          Math.max(writeUnits(item), writeUnits(existing)),
        ),
      };
    },

    GetItem: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = itemTable(input, ctx, 'GetItem');
      const key = keyOf(table, checkItem(input.Key, 'key'), 'key');
      const placeholders = placeholdersOf(input);
      let paths =
        input.ProjectionExpression === undefined
          ? undefined
          : parseProjection(input.ProjectionExpression, placeholders);
      if (Array.isArray(input.AttributesToGet)) {
        if (paths)
          validation(
            'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
          );
        paths = input.AttributesToGet.map(name => [String(name)]);
      }
      placeholders.checkAllUsed();
      // Every read is strongly consistent here; ConsistentRead only changes the capacity reported.
      const item = table.items.get(key);
      const units =
        Math.max(1, Math.ceil((item ? itemBytes(item) : 0) / 4096)) *
        (input.ConsistentRead === true ? 1 : 0.5);
      return {
        Item: item && paths ? project(item, paths) : item,
        ConsumedCapacity: consumed(input, table, units),
      };
    },

    DeleteItem: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = itemTable(input, ctx, 'DeleteItem');
      const key = keyOf(table, checkItem(input.Key, 'key'), 'key');
      const returns = returnValues(input, ['NONE', 'ALL_OLD']);
      const placeholders = placeholdersOf(input);
      const condition = conditionOf(input, placeholders);
      placeholders.checkAllUsed();
      const existing = table.items.get(key);
      checkCondition(condition, existing, input);
      table.items.delete(key);
      return {
        Attributes: returns === 'ALL_OLD' ? existing : undefined,
        ConsumedCapacity: consumed(input, table, writeUnits(existing)),
      };
    },

    TransactWriteItems: transactWriteItems,
    Scan: scan,

    UpdateItem: (input: Record<string, unknown>, ctx: CallContext) => {
      const table = itemTable(input, ctx, 'UpdateItem');
      const keyItem = checkItem(input.Key, 'key');
      const key = keyOf(table, keyItem, 'key');
      const returns = returnValues(input, [
        'NONE',
        'ALL_OLD',
        'UPDATED_OLD',
        'ALL_NEW',
        'UPDATED_NEW',
      ]);
      const placeholders = placeholdersOf(input);
      const actions =
        input.UpdateExpression === undefined
          ? undefined
          : parseUpdate(input.UpdateExpression, placeholders);
      const condition = conditionOf(input, placeholders);
      placeholders.checkAllUsed();
      const existing = table.items.get(key);
      checkCondition(condition, existing, input);
      // An update of a missing item creates it from its key.
      const { item, touched } = actions
        ? applyUpdate(existing ?? keyItem, actions)
        : { item: existing ?? keyItem, touched: [] };
      const keyNames = table.keySchema.map(k => k.AttributeName);
      const keyTouched = touched.find(name => keyNames.includes(name));
      if (keyTouched)
        validation(
          `One or more parameter values were invalid: Cannot update attribute ${keyTouched}. This attribute is part of the key`,
        );
      checkItem(item, 'item');
      table.items.set(key, item);
      const pick = (from: Item | undefined) =>
        from
          ? Object.fromEntries(
              touched
                .filter(name => name in from)
                .map(name => [name, from[name]]),
            )
          : undefined;
      const attributes = {
        NONE: undefined,
        ALL_OLD: existing,
        UPDATED_OLD: pick(existing),
        ALL_NEW: item,
        UPDATED_NEW: pick(item),
      }[returns];
      return {
        Attributes:
          attributes && Object.keys(attributes).length > 0
            ? attributes
            : undefined,
        ConsumedCapacity: consumed(
          input,
          table,
          Math.max(writeUnits(item), writeUnits(existing)),
        ),
      };
    },
  },
};
