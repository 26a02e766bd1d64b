import { AwsError, CallContext } from '../protocols/types';
import {
  CreatedTable,
  checkItem,
  conditionOf,
  itemTable,
  keyOf,
  placeholdersOf,
} from './dynamodb';
import {
  Item,
  applyUpdate,
  evaluateCondition,
  parseCondition,
  parseUpdate,
} from './dynamodbExpressions';

function validation(message: string): never {
  throw new AwsError('ValidationException', message);
}

type Operation = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/** One action of a transaction, checked and evaluated but not yet applied. */
interface Planned {
  table: CreatedTable;
  key: string;
  /** The item after the action; undefined deletes it; `keep` leaves it (ConditionCheck). */
  after: Item | undefined | 'keep';
  conditionHolds: boolean;
  existing: Item | undefined;
  returnOld: boolean;
}

function plan(
  operation: Operation,
  input: Record<string, unknown>,
  ctx: CallContext,
): Planned {
  const table = itemTable(input, ctx, 'TransactWriteItems');
  const placeholders = placeholdersOf(input);
  const condition = conditionOf(input, placeholders);
  if (operation === 'ConditionCheck' && !condition)
    validation('ConditionExpression is required for ConditionCheck');
  let key: string;
  let after: Planned['after'];
  let existing: Item | undefined;
  if (operation === 'Put') {
    const item = checkItem(input.Item, 'item');
    key = keyOf(table, item, 'item');
    existing = table.items.get(key);
    after = item;
  } else {
    const keyItem = checkItem(input.Key, 'key');
    key = keyOf(table, keyItem, 'key');
    existing = table.items.get(key);
    if (operation === 'Update') {
      if (input.UpdateExpression === undefined)
        validation('UpdateExpression is required for Update');
      const actions = parseUpdate(input.UpdateExpression, placeholders);
      const updated = applyUpdate(existing ?? keyItem, actions);
      const keyNames = table.keySchema.map(k => k.AttributeName);
      const keyTouched = updated.touched.find(name => keyNames.includes(name));
      if (keyTouched)
        validation(
          `One or more parameter values were invalid: Cannot update attribute ${keyTouched}. This attribute is part of the key`,
        );
      after = checkItem(updated.item, 'item');
    } else {
      after = operation === 'Delete' ? undefined : 'keep';
    }
  }
  placeholders.checkAllUsed();
  return {
    table,
    key,
    after,
    existing,
    conditionHolds: !condition || evaluateCondition(condition, existing),
    returnOld: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
  };
}

/**
 * TransactWriteItems as AWS documents it: up to 100 Put / Update / Delete / ConditionCheck actions,
 * at most one per item, applied all or none. When a condition fails nothing is written and the
 * call fails with TransactionCanceledException, whose CancellationReasons list one entry per
 * action in order (`ConditionalCheckFailed` with the item if ReturnValuesOnConditionCheckFailure
 * is ALL_OLD, else `None`). Node runs one request at a time here, so the check-then-apply below
 * is atomic against concurrent requests.
 */
export function transactWriteItems(
  input: Record<string, unknown>,
  ctx: CallContext,
) {
  const actions = input.TransactItems;
  if (!Array.isArray(actions) || actions.length === 0 || actions.length > 100)
    validation(
      '1 validation error detected: Value at transactItems failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1',
    );
  const planned = actions.map((action: Record<string, unknown>) => {
    const operations = (
      ['Put', 'Update', 'Delete', 'ConditionCheck'] as const
    ).filter(name => action?.[name] !== undefined);
    if (operations.length !== 1)
      validation(
        'TransactItems can only contain one of Check, Put, Update or Delete',
      );
    return plan(
      operations[0],
      action[operations[0]] as Record<string, unknown>,
      ctx,
    );
  });
  const seen = new Set<string>();
  for (const p of planned) {
    const id = `${p.table.arn} ${p.key}`;
    if (seen.has(id))
      validation(
        'Transaction request cannot include multiple operations on one item',
      );
    seen.add(id);
  }
  if (planned.some(p => !p.conditionHolds)) {
    const reasons = planned.map(p =>
      p.conditionHolds
        ? { Code: 'None' }
        : {
            Code: 'ConditionalCheckFailed',
            Message: 'The conditional request failed',
            ...(p.returnOld && p.existing ? { Item: p.existing } : {}),
          },
    );
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
        .map(r => r.Code)
        .join(', ')}]`,
      400,
      'Sender',
      { members: { CancellationReasons: reasons } },
    );
  }
  for (const p of planned) {
    if (p.after === 'keep') continue;
    if (p.after === undefined) p.table.items.delete(p.key);
    else p.table.items.set(p.key, p.after);
  }
  return {};
}

/**
 * Scan: the table's items in key order, `Limit` items per page (evaluated before the
 * FilterExpression, as AWS does), LastEvaluatedKey / ExclusiveStartKey for the next page.
 */
export function scan(input: Record<string, unknown>, ctx: CallContext) {
  const table = itemTable(input, ctx, 'Scan');
  const placeholders = placeholdersOf(input);
  const filter =
    input.FilterExpression === undefined
      ? undefined
      : parseCondition(
          input.FilterExpression,
          'FilterExpression',
          placeholders,
        );
  placeholders.checkAllUsed();
  const limit = input.Limit === undefined ? Infinity : Number(input.Limit);
  if (!Number.isInteger(limit) && limit !== Infinity)
    validation('Limit must be an integer');
  if (limit < 1) validation('Limit must be greater than or equal to 1');
  const keys = [...table.items.keys()].sort();
  let start = 0;
  if (input.ExclusiveStartKey !== undefined) {
    const after = keyOf(
      table,
      checkItem(input.ExclusiveStartKey, 'key'),
      'key',
    );
    start = keys.findIndex(k => k > after);
    if (start < 0) start = keys.length;
  }
  const page = keys.slice(
    start,
    start + (limit === Infinity ? keys.length : limit),
  );
  const scanned = page.map(k => table.items.get(k)!);
  const items = filter
    ? scanned.filter(item => evaluateCondition(filter, item))
    : scanned;
  const last = scanned[scanned.length - 1];
  const more = start + page.length < keys.length;
  return {
    Items: items,
    Count: items.length,
    ScannedCount: scanned.length,
    LastEvaluatedKey:
      more && last
        ? Object.fromEntries(
            table.keySchema.map(k => [k.AttributeName, last[k.AttributeName]]),
          )
        : undefined,
  };
}
