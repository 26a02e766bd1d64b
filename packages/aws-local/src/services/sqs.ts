import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
  RawRequest,
} from '../protocols/types';
import { opaquePage, pageSize } from './common';

/*
 * Amazon SQS as SDK v3 (since late 2023) and current boto speak it: awsJson1_0 with
 * `X-Amz-Target: AmazonSQS.<Operation>`, `x-amzn-query-mode: true`, and errors that carry both the
 * shape (`__type: com.amazonaws.sqs#QueueDoesNotExist`) and the old awsQuery code
 * (`x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`), which the SDK maps first.
 *
 * Queues are not part of the demo estate: callers create them, and they live in this server's
 * memory, per account and signing region. Queue timing (delays, visibility timeouts, long polls,
 * retention) runs on the wall clock, not the estate's date: they are real waits.
 */

const NAMESPACE = 'com.amazonaws.sqs';

/** awsQuery codes of the shapes whose code is not their name (the `awsQueryError` trait). */
const QUERY_CODES: Record<string, string> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  TooManyEntriesInBatchRequest:
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

const MAX_BATCH_ENTRIES = 10;
const MAX_MESSAGE_ATTRIBUTES = 10;
const MAX_VISIBILITY_SECONDS = 43_200;
const BATCH_BYTES = 262_144;

/** The queue attributes callers set, with SQS's ranges and defaults. */
const NUMERIC_ATTRIBUTES: Record<
  string,
  { min: number; max: number; default: number }
> = {
  DelaySeconds: { min: 0, max: 900, default: 0 },
  MaximumMessageSize: { min: 1024, max: 1_048_576, default: 262_144 },
  MessageRetentionPeriod: { min: 60, max: 1_209_600, default: 345_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, default: 0 },
  VisibilityTimeout: { min: 0, max: MAX_VISIBILITY_SECONDS, default: 30 },
};
/** Attributes kept and reported as given, without behaviour here. */
const OPAQUE_ATTRIBUTES = [
  'Policy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];
const FIFO_ATTRIBUTES = [
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];
const COMPUTED_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];
const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
  // FIFO and X-Ray attributes: valid to ask for, never set here.
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
];

interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  /** Base64, as on the wire. */
  BinaryValue?: string;
}

interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

interface QueueSettings {
  numbers: Record<string, number>;
  redrive?: RedrivePolicy;
  opaque: Record<string, string>;
}

interface SqsMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttribute>;
  senderId: string;
  sentAt: number;
  /** Delayed or in flight until then (epoch ms). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** When the latest receive happened, and its nonce: only that receive's handle changes the message. */
  receivedAt?: number;
  receipt?: string;
  deadLetterSourceArn?: string;
}

interface Queue {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  created: number;
  lastModified: number;
  settings: QueueSettings;
  /** In send order, which is the order they are delivered in. */
  messages: SqsMessage[];
  /** Long polls waiting on this queue: called when a message may have become available. */
  waiters: Set<() => void>;
  deleted: boolean;
}

/** This server's queues, by ARN, and the key its receipt handles are signed with. */
class SqsState {
  readonly queues = new Map<string, Queue>();
  readonly receiptKey = randomBytes(32);
}

const stateOf = (ctx: CallContext) => ctx.state('sqs', () => new SqsState());

function invalidParameter(message: string): never {
  throw new AwsError('InvalidParameterValue', message);
}

function missingParameter(name: string): never {
  throw new AwsError(
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );
}

/** An optional whole-number request parameter in SQS's range, with SQS's wording when it is not. */
function intParameter(
  value: unknown,
  name: string,
  range: { min: number; max: number },
  reason: string,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    invalidParameter(
      `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`,
    );
  }
  return n;
}

function md5(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * MD5OfMessageAttributes as SQS computes it (and SDKs that check it recompute it): the attributes
 * sorted by name, each as length-prefixed (4 bytes, big-endian) name and data type, a transport
 * byte (1 string / number, 2 binary) and the length-prefixed value bytes.
 */
export function md5OfMessageAttributes(
  attributes: Record<string, MessageAttribute>,
): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const prefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name];
    prefixed(Buffer.from(name, 'utf8'));
    prefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      prefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      prefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

const queueArn = (ctx: CallContext, accountId: string, name: string) =>
  `arn:aws:sqs:${ctx.region}:${accountId}:${name}`;
const queueUrl = (ctx: CallContext, queue: Queue) =>
  `http://${ctx.host}/${queue.accountId}/${queue.name}`;

function queueDoesNotExist(): never {
  throw new AwsError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
  );
}

/** The caller's queue a QueueUrl (`http://<any host>/<account>/<name>`) names, in the signing region. */
function findQueue(input: Record<string, unknown>, ctx: CallContext): Queue {
  const url = input.QueueUrl;
  if (typeof url !== 'string' || url === '') missingParameter('QueueUrl');
  let path: string[];
  try {
    path = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    path = [];
  }
  if (path.length !== 2 || !/^\d{12}$/.test(path[0]))
    throw new AwsError(
      'InvalidAddress',
      `The address ${url} is not valid for this endpoint.`,
      404,
    );
  if (path[0] !== ctx.account.id)
    throw new AwsError(
      'AccessDenied',
      `Access to the resource ${url} is denied.`,
      403,
    );
  const queue = stateOf(ctx).queues.get(queueArn(ctx, path[0], path[1]));
  if (!queue) queueDoesNotExist();
  return queue;
}

function validateQueueName(name: unknown): string {
  if (typeof name !== 'string' || name === '') missingParameter('QueueName');
  if (name.endsWith('.fifo')) {
    throw new AwsError(
      'InvalidParameterValue',
      `aws-local serves standard queues only; '${name}' names a FIFO queue. Use a name without .fifo.`,
    );
  }
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    invalidParameter(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  return name;
}

/** A RedrivePolicy as SQS accepts it: JSON naming an existing queue of the same account and region. */
function parseRedrivePolicy(
  value: string,
  ctx: CallContext,
): RedrivePolicy | undefined {
  if (value === '') return undefined;
  const invalid: (reason: string) => never = reason =>
    invalidParameter(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`,
    );
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value);
  } catch {
    return invalid('Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    invalid('Redrive policy is not a valid JSON map.');
  const target = parsed.deadLetterTargetArn;
  if (typeof target !== 'string' || target === '')
    invalid(
      'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.',
    );
  if (parsed.maxReceiveCount === undefined)
    invalid(
      'Redrive policy does not contain mandatory attribute: maxReceiveCount.',
    );
  const maxReceiveCount = Number(parsed.maxReceiveCount);
  if (
    !Number.isInteger(maxReceiveCount) ||
    maxReceiveCount < 1 ||
    maxReceiveCount > 1000
  ) {
    invalid(
      `Invalid value for maxReceiveCount: ${parsed.maxReceiveCount}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  if (!stateOf(ctx).queues.has(target))
    invalid('Dead letter target does not exist.');
  return { deadLetterTargetArn: target, maxReceiveCount };
}

/** Attributes a CreateQueue / SetQueueAttributes request gives; an empty RedrivePolicy removes it. */
interface GivenAttributes extends QueueSettings {
  redriveGiven: boolean;
}

/** Queue attributes from CreateQueue / SetQueueAttributes, checked; unknown names are InvalidAttributeName. */
function parseAttributes(input: unknown, ctx: CallContext): GivenAttributes {
  const result: GivenAttributes = {
    numbers: {},
    opaque: {},
    redrive: undefined,
    redriveGiven: false,
  };
  const attributes = (input ?? {}) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    const range = NUMERIC_ATTRIBUTES[name];
    if (range) {
      const n = Number(value);
      if (
        value.trim() === '' ||
        !Number.isInteger(n) ||
        n < range.min ||
        n > range.max
      ) {
        throw new AwsError(
          'InvalidAttributeValue',
          `Invalid value for the parameter ${name}. Reason: Must be a whole number from ${range.min} to ${range.max}.`,
        );
      }
      result.numbers[name] = n;
    } else if (name === 'RedrivePolicy') {
      result.redrive = parseRedrivePolicy(value, ctx);
      result.redriveGiven = true;
    } else if (OPAQUE_ATTRIBUTES.includes(name)) {
      result.opaque[name] = value;
    } else if (name === 'FifoQueue' && value === 'false') {
      // A standard queue, said out loud.
    } else if (FIFO_ATTRIBUTES.includes(name)) {
      throw new AwsError(
        'InvalidAttributeName',
        `aws-local serves standard queues only; attribute ${name} is for FIFO queues.`,
      );
    } else {
      throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return result;
}

const redriveJson = (redrive: RedrivePolicy) =>
  JSON.stringify({
    deadLetterTargetArn: redrive.deadLetterTargetArn,
    maxReceiveCount: redrive.maxReceiveCount,
  });

/** Drops messages past the queue's retention period. */
function expire(queue: Queue, now: number) {
  const retentionMs = queue.settings.numbers.MessageRetentionPeriod * 1000;
  if (queue.messages.some(m => m.sentAt + retentionMs <= now))
    queue.messages = queue.messages.filter(m => m.sentAt + retentionMs > now);
}

/** Wakes the long polls on a queue: a message may have become available. */
function notify(queue: Queue) {
  for (const wake of [...queue.waiters]) wake();
}

/** The queue's attributes as GetQueueAttributes reports them (all strings). */
function queueAttributes(queue: Queue, now: number): Record<string, string> {
  expire(queue, now);
  const { numbers, redrive, opaque } = queue.settings;
  const visible = queue.messages.filter(m => m.visibleAt <= now).length;
  const inFlight = queue.messages.filter(
    m => m.visibleAt > now && m.receipt !== undefined,
  ).length;
  const attributes: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(
      queue.messages.length - visible - inFlight,
    ),
    CreatedTimestamp: String(Math.floor(queue.created / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModified / 1000)),
    SqsManagedSseEnabled: 'true',
    ...Object.fromEntries(
      Object.entries(numbers).map(([k, v]) => [k, String(v)]),
    ),
    ...opaque,
  };
  if (redrive) attributes.RedrivePolicy = redriveJson(redrive);
  return attributes;
}

/** Message attributes from SendMessage, checked as SQS checks them. */
function parseMessageAttributes(
  input: unknown,
): Record<string, MessageAttribute> {
  const given = (input ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(given);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    invalidParameter(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, MessageAttribute> = {};
  for (const name of names) {
    const value = given[name] ?? {};
    if (
      !/^[A-Za-z0-9_.-]{1,256}$/.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      invalidParameter(
        `Message (user) attribute name '${name}' is invalid. Use 1 to 256 alphanumeric characters, hyphens, underscores or dots, without a leading, trailing or doubled dot.`,
      );
    }
    if (/^(aws\.|amazon\.)/i.test(name))
      invalidParameter(
        `Message (user) attribute name '${name}' is invalid: the AWS. and Amazon. prefixes are reserved.`,
      );
    const dataType = value.DataType;
    if (typeof dataType !== 'string' || dataType === '')
      invalidParameter(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    const base = dataType.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base)) {
      invalidParameter(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (
      value.StringListValues !== undefined ||
      value.BinaryListValues !== undefined
    ) {
      invalidParameter(
        `Message attribute list values in SendMessage operation are not supported (attribute '${name}').`,
      );
    }
    if (base === 'Binary') {
      if (typeof value.BinaryValue !== 'string' || value.BinaryValue === '') {
        invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        );
      }
      attributes[name] = { DataType: dataType, BinaryValue: value.BinaryValue };
    } else {
      if (value.BinaryValue !== undefined)
        invalidParameter(
          `The message attribute '${name}' with type '${base}' must use field 'String'.`,
        );
      if (typeof value.StringValue !== 'string' || value.StringValue === '') {
        invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        );
      }
      if (
        base === 'Number' &&
        !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(
          value.StringValue.trim(),
        )
      ) {
        invalidParameter(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      attributes[name] = { DataType: dataType, StringValue: value.StringValue };
    }
  }
  return attributes;
}

const attributeBytes = (attributes: Record<string, MessageAttribute>) =>
  Object.entries(attributes).reduce(
    (sum, [name, a]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType) +
      (a.BinaryValue === undefined
        ? Buffer.byteLength(a.StringValue ?? '')
        : Buffer.from(a.BinaryValue, 'base64').length),
    0,
  );

// The characters SQS allows in a message: #x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF.
const INVALID_BODY_CHARACTER =
  /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Checks and enqueues one message (SendMessage, or one SendMessageBatch entry). */
function enqueue(
  queue: Queue,
  entry: Record<string, unknown>,
  ctx: CallContext,
) {
  const body = entry.MessageBody;
  if (typeof body !== 'string' || body === '') missingParameter('MessageBody');
  if (INVALID_BODY_CHARACTER.test(body)) {
    throw new AwsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  const attributes = parseMessageAttributes(entry.MessageAttributes);
  const maxSize = queue.settings.numbers.MaximumMessageSize;
  if (Buffer.byteLength(body) + attributeBytes(attributes) > maxSize) {
    invalidParameter(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
    );
  }
  const delay =
    intParameter(
      entry.DelaySeconds,
      'DelaySeconds',
      { min: 0, max: 900 },
      'DelaySeconds must be >= 0 and <= 900.',
    ) ?? queue.settings.numbers.DelaySeconds;
  const now = ctx.now.getTime();
  const message: SqsMessage = {
    id: randomUUID(),
    body,
    md5OfBody: md5(body),
    attributes,
    senderId: ctx.principal.userId,
    sentAt: now,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
  };
  queue.messages.push(message);
  if (delay === 0) notify(queue);
  return {
    MessageId: message.id,
    MD5OfMessageBody: message.md5OfBody,
    MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
  };
}

/** A receipt handle: the queue, the message and the receive, signed so a forged or mangled one is told apart. */
function receiptHandle(
  state: SqsState,
  queue: Queue,
  message: SqsMessage,
): string {
  const payload = Buffer.from(
    JSON.stringify([queue.arn, message.id, message.receipt]),
  ).toString('base64url');
  return `${payload}.${createHmac('sha256', state.receiptKey)
    .update(payload)
    .digest('base64url')}`;
}

/** The message id and receive nonce a receipt handle of this queue carries; ReceiptHandleIsInvalid otherwise. */
function readReceiptHandle(
  state: SqsState,
  queue: Queue,
  handle: unknown,
): { messageId: string; receipt: string } {
  if (typeof handle !== 'string' || handle === '')
    missingParameter('ReceiptHandle');
  const [payload, signature, extra] = handle.split('.');
  const invalid = () =>
    new AwsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      404,
    );
  if (
    !payload ||
    extra !== undefined ||
    createHmac('sha256', state.receiptKey)
      .update(payload)
      .digest('base64url') !== signature
  )
    throw invalid();
  const [arn, messageId, receipt] = JSON.parse(
    Buffer.from(payload, 'base64url').toString('utf8'),
  ) as string[];
  if (arn !== queue.arn) throw invalid();
  return { messageId, receipt };
}

/**
 * DeleteMessage as SQS does it: the latest receive's handle deletes the message; a handle of a
 * message already deleted succeeds; an older receive's handle succeeds but leaves the message
 * (SQS: "you must provide the most recently received receipt handle").
 */
function deleteMessage(state: SqsState, queue: Queue, handle: unknown) {
  const { messageId, receipt } = readReceiptHandle(state, queue, handle);
  const index = queue.messages.findIndex(m => m.id === messageId);
  if (index >= 0 && queue.messages[index].receipt === receipt)
    queue.messages.splice(index, 1);
}

function changeVisibility(
  state: SqsState,
  queue: Queue,
  handle: unknown,
  timeout: unknown,
  now: number,
) {
  const { messageId, receipt } = readReceiptHandle(state, queue, handle);
  if (timeout === undefined || timeout === null)
    missingParameter('VisibilityTimeout');
  const seconds = intParameter(
    timeout,
    'VisibilityTimeout',
    { min: 0, max: MAX_VISIBILITY_SECONDS },
    `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
  )!;
  const message = queue.messages.find(m => m.id === messageId);
  if (!message || message.receipt !== receipt || message.visibleAt <= now) {
    invalidParameter(
      `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  }
  if (
    now + seconds * 1000 >
    message.receivedAt! + MAX_VISIBILITY_SECONDS * 1000
  ) {
    invalidParameter(
      `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds].`,
    );
  }
  message.visibleAt = now + seconds * 1000;
  if (seconds === 0) notify(queue);
}

/** Moves a message to the dead-letter queue, as SQS does on the receive after maxReceiveCount. */
function moveToDeadLetterQueue(
  message: SqsMessage,
  source: Queue,
  target: Queue,
  now: number,
) {
  target.messages.push({
    ...message,
    visibleAt: now,
    receipt: undefined,
    receivedAt: undefined,
    deadLetterSourceArn: source.arn,
  });
  notify(target);
}

/** Takes up to `max` visible messages off the queue for one receive (no waiting). */
function take(
  state: SqsState,
  queue: Queue,
  max: number,
  visibilitySeconds: number,
  now: number,
): SqsMessage[] {
  expire(queue, now);
  const taken: SqsMessage[] = [];
  const moved = new Set<SqsMessage>();
  const { redrive } = queue.settings;
  const deadLetterQueue = redrive
    ? state.queues.get(redrive.deadLetterTargetArn)
    : undefined;
  for (const message of queue.messages) {
    if (taken.length >= max) break;
    if (message.visibleAt > now) continue;
    if (
      redrive &&
      deadLetterQueue &&
      message.receiveCount >= redrive.maxReceiveCount
    ) {
      moveToDeadLetterQueue(message, queue, deadLetterQueue, now);
      moved.add(message);
      continue;
    }
    message.receiveCount += 1;
    message.firstReceivedAt ??= now;
    message.receivedAt = now;
    message.receipt = randomBytes(12).toString('base64url');
    message.visibleAt = now + visibilitySeconds * 1000;
    taken.push(message);
  }
  if (moved.size > 0)
    queue.messages = queue.messages.filter(m => !moved.has(m));
  return taken;
}

/**
 * Waits until a message may have become available on the queue (by the server's clock, `now`),
 * at most `maxWaitMs`, or until the signal aborts.
 */
function waitForMessages(
  queue: Queue,
  now: number,
  maxWaitMs: number,
  signal: AbortSignal,
): Promise<void> {
  const next = queue.messages.reduce(
    (soonest, m) =>
      m.visibleAt > now ? Math.min(soonest, m.visibleAt) : soonest,
    now + maxWaitMs,
  );
  return new Promise(resolve => {
    const waiting: { timer?: ReturnType<typeof setTimeout> } = {};
    const wake = () => {
      clearTimeout(waiting.timer);
      queue.waiters.delete(wake);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    waiting.timer = setTimeout(wake, Math.max(0, next - now));
    queue.waiters.add(wake);
    signal.addEventListener('abort', wake);
  });
}

/** Which of `available` a list of names asks for: `All`, `.*`, `prefix.*` or exact names. */
function selectNames(requested: unknown, available: string[]): string[] {
  const patterns = Array.isArray(requested) ? requested.map(String) : [];
  if (patterns.includes('All') || patterns.includes('.*')) return available;
  return available.filter(name =>
    patterns.some(p =>
      p.endsWith('.*') ? name.startsWith(p.slice(0, -1)) : p === name,
    ),
  );
}

function systemAttributes(message: SqsMessage): Record<string, string> {
  const attributes: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
  };
  if (message.deadLetterSourceArn)
    attributes.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
  return attributes;
}

/** Checks a batch request's entries as SQS does, before any entry runs. */
function batchEntries(
  input: Record<string, unknown>,
  entryName: string,
): Array<Record<string, unknown>> {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new AwsError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
    );
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries as Array<Record<string, unknown>>) {
    const id = String(entry?.Id ?? '');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id))
      throw new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries;
}

/** Runs each entry of a batch, reporting per entry as SQS does: Successful, or Failed with the error. */
function runBatch<T>(
  entries: Array<Record<string, unknown>>,
  run: (entry: Record<string, unknown>) => T,
) {
  const Successful: Array<{ Id: string } & T> = [];
  const Failed: Array<{
    Id: string;
    SenderFault: boolean;
    Code: string;
    Message: string;
  }> = [];
  for (const entry of entries) {
    const Id = String(entry.Id);
    try {
      Successful.push({ Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      Failed.push({
        Id,
        SenderFault: error.fault === 'Sender',
        Code: error.code,
        Message: error.message,
      });
    }
  }
  return { Successful, Failed };
}

/** Clients from before SQS's JSON protocol (AWS SDK v3 before late 2023, v2, old boto) send awsQuery forms. */
function decodeSqs(
  decode: (request: RawRequest) => { operation: string; input: unknown },
) {
  return (request: RawRequest) => {
    if (
      !request.headers['x-amz-target'] &&
      /^Action=|&Action=/.test(request.body.toString('utf8'))
    ) {
      throw new AwsError(
        'InvalidAction',
        'aws-local speaks the SQS JSON protocol (X-Amz-Target: AmazonSQS.<Operation>) only; upgrade the client (AWS SDK v3 from late 2023 on, or a current boto3)',
      );
    }
    return decode(request);
  };
}

const protocol = awsJsonProtocol('1.0', 'AmazonSQS', {
  throttling: { code: 'RequestThrottled', status: 403 },
  accessDenied: { code: 'AccessDenied', status: 403 },
  queryCompatible: { namespace: NAMESPACE, queryCodes: QUERY_CODES },
});

/** Amazon SQS over awsJson1_0 (awsQuery-compatible errors): standard queues with dead-letter redrive and long polling. */
export const sqsService: AwsServiceDefinition = {
  signingName: 'sqs',
  statsPrefix: 'sqs',
  protocol: { ...protocol, decode: decodeSqs(protocol.decode) },
  operations: {
    CreateQueue: (input: Record<string, unknown>, ctx: CallContext) => {
      const name = validateQueueName(input.QueueName);
      const given = parseAttributes(input.Attributes, ctx);
      const state = stateOf(ctx);
      const arn = queueArn(ctx, ctx.account.id, name);
      const existing = state.queues.get(arn);
      if (existing) {
        // The same name and the same attributes is the same queue; any attribute given that differs is an error.
        const current = queueAttributes(existing, ctx.now.getTime());
        const asked: Record<string, string> = {
          ...Object.fromEntries(
            Object.entries(given.numbers).map(([k, v]) => [k, String(v)]),
          ),
          ...given.opaque,
        };
        if (given.redriveGiven)
          asked.RedrivePolicy = given.redrive ? redriveJson(given.redrive) : '';
        for (const [attribute, value] of Object.entries(asked)) {
          if ((current[attribute] ?? '') !== value) {
            throw new AwsError(
              'QueueNameExists',
              `A queue already exists with the same name and a different value for attribute ${attribute}`,
            );
          }
        }
        return { QueueUrl: queueUrl(ctx, existing) };
      }
      const now = ctx.now.getTime();
      const numbers = Object.fromEntries(
        Object.entries(NUMERIC_ATTRIBUTES).map(([k, range]) => [
          k,
          given.numbers[k] ?? range.default,
        ]),
      );
      const queue: Queue = {
        name,
        arn,
        accountId: ctx.account.id,
        region: ctx.region,
        created: now,
        lastModified: now,
        settings: { numbers, redrive: given.redrive, opaque: given.opaque },
        messages: [],
        waiters: new Set(),
        deleted: false,
      };
      state.queues.set(arn, queue);
      return { QueueUrl: queueUrl(ctx, queue) };
    },

    GetQueueUrl: (input: Record<string, unknown>, ctx: CallContext) => {
      const name = input.QueueName;
      if (typeof name !== 'string' || name === '')
        missingParameter('QueueName');
      const owner =
        typeof input.QueueOwnerAWSAccountId === 'string' &&
        input.QueueOwnerAWSAccountId !== ''
          ? input.QueueOwnerAWSAccountId
          : ctx.account.id;
      const queue =
        owner === ctx.account.id
          ? stateOf(ctx).queues.get(queueArn(ctx, owner, name))
          : undefined;
      if (!queue) queueDoesNotExist();
      return { QueueUrl: queueUrl(ctx, queue) };
    },

    ListQueues: (input: Record<string, unknown>, ctx: CallContext) => {
      const prefix =
        typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      const queues = [...stateOf(ctx).queues.values()]
        .filter(
          q =>
            q.accountId === ctx.account.id &&
            q.region === ctx.region &&
            q.name.startsWith(prefix),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      // Without MaxResults SQS answers up to 1,000 queues and no token.
      if (input.MaxResults === undefined || input.MaxResults === null) {
        return queues.length > 0
          ? { QueueUrls: queues.slice(0, 1000).map(q => queueUrl(ctx, q)) }
          : {};
      }
      const size = pageSize(
        input.MaxResults,
        'MaxResults',
        { min: 1, max: 1000, default: 1000 },
        'InvalidParameterValue',
      );
      const page = opaquePage(queues, input, ctx, {
        tokenField: 'NextToken',
        size,
        errorCode: 'InvalidParameterValue',
      });
      return {
        QueueUrls:
          page.items.length > 0
            ? page.items.map(q => queueUrl(ctx, q))
            : undefined,
        NextToken: page.next,
      };
    },

    DeleteQueue: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      stateOf(ctx).queues.delete(queue.arn);
      queue.deleted = true;
      notify(queue);
      return {};
    },

    PurgeQueue: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      queue.messages = [];
      return {};
    },

    GetQueueAttributes: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      const requested = Array.isArray(input.AttributeNames)
        ? input.AttributeNames.map(String)
        : [];
      const known = [
        'All',
        ...COMPUTED_ATTRIBUTES,
        ...Object.keys(NUMERIC_ATTRIBUTES),
        'RedrivePolicy',
        ...OPAQUE_ATTRIBUTES,
        ...FIFO_ATTRIBUTES,
      ];
      const unknown = requested.find(name => !known.includes(name));
      if (unknown)
        throw new AwsError(
          'InvalidAttributeName',
          `Unknown Attribute ${unknown}.`,
        );
      const all = queueAttributes(queue, ctx.now.getTime());
      const attributes = requested.includes('All')
        ? all
        : Object.fromEntries(
            requested
              .filter(name => name in all)
              .map(name => [name, all[name]]),
          );
      return Object.keys(attributes).length > 0
        ? { Attributes: attributes }
        : {};
    },

    SetQueueAttributes: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      const given = parseAttributes(input.Attributes, ctx);
      Object.assign(queue.settings.numbers, given.numbers);
      Object.assign(queue.settings.opaque, given.opaque);
      if (given.redriveGiven) queue.settings.redrive = given.redrive;
      queue.lastModified = ctx.now.getTime();
      // A shorter delay may have made messages available.
      notify(queue);
      return {};
    },

    SendMessage: (input: Record<string, unknown>, ctx: CallContext) =>
      enqueue(findQueue(input, ctx), input, ctx),

    SendMessageBatch: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
      const limit = Math.max(
        BATCH_BYTES,
        queue.settings.numbers.MaximumMessageSize,
      );
      const bytes = entries.reduce(
        (sum, e) =>
          sum +
          Buffer.byteLength(String(e.MessageBody ?? '')) +
          attributeBytes(parseBatchAttributes(e.MessageAttributes)),
        0,
      );
      if (bytes > limit)
        throw new AwsError(
          'BatchRequestTooLong',
          `Batch requests cannot be longer than ${limit} bytes. You have sent ${bytes} bytes.`,
        );
      return runBatch(entries, entry => enqueue(queue, entry, ctx));
    },

    ReceiveMessage: async (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const queue = findQueue(input, ctx);
      const max =
        intParameter(
          input.MaxNumberOfMessages,
          'MaxNumberOfMessages',
          { min: 1, max: 10 },
          'Must be between 1 and 10, if provided.',
        ) ?? 1;
      const visibility =
        intParameter(
          input.VisibilityTimeout,
          'VisibilityTimeout',
          { min: 0, max: MAX_VISIBILITY_SECONDS },
          `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
        ) ?? queue.settings.numbers.VisibilityTimeout;
      const wait =
        intParameter(
          input.WaitTimeSeconds,
          'WaitTimeSeconds',
          { min: 0, max: 20 },
          'Must be >= 0 and <= 20, if provided.',
        ) ?? queue.settings.numbers.ReceiveMessageWaitTimeSeconds;
      const systemNames = [
        ...(Array.isArray(input.AttributeNames) ? input.AttributeNames : []),
        ...(Array.isArray(input.MessageSystemAttributeNames)
          ? input.MessageSystemAttributeNames
          : []),
      ].map(String);
      const unknown = systemNames.find(
        name => name !== 'All' && !SYSTEM_ATTRIBUTES.includes(name),
      );
      if (unknown)
        throw new AwsError(
          'InvalidAttributeName',
          `Unknown Attribute ${unknown}.`,
        );

      const state = stateOf(ctx);
      // The wait is a duration (monotonic); visibility and delays follow the server's clock.
      const until = performance.now() + wait * 1000;
      const clockNow = () => ctx.clock().getTime();
      let messages = take(state, queue, max, visibility, ctx.now.getTime());
      // Long polling: hold the request until a message is available, the wait ends, the queue is
      // deleted, the caller hangs up or the server closes.
      while (
        messages.length === 0 &&
        performance.now() < until &&
        !queue.deleted &&
        !ctx.signal.aborted
      ) {
        await waitForMessages(
          queue,
          clockNow(),
          until - performance.now(),
          ctx.signal,
        );
        if (!queue.deleted)
          messages = take(state, queue, max, visibility, clockNow());
      }
      if (messages.length === 0) return {};
      return {
        Messages: messages.map(m => {
          const system = systemAttributes(m);
          const systemSelected = selectNames(systemNames, Object.keys(system));
          const userSelected = selectNames(
            input.MessageAttributeNames,
            Object.keys(m.attributes),
          );
          const userAttributes = Object.fromEntries(
            userSelected.map(name => [name, m.attributes[name]]),
          );
          return {
            MessageId: m.id,
            ReceiptHandle: receiptHandle(state, queue, m),
            MD5OfBody: m.md5OfBody,
            Body: m.body,
            Attributes:
              systemSelected.length > 0
                ? Object.fromEntries(
                    systemSelected.map(name => [name, system[name]]),
                  )
                : undefined,
            MD5OfMessageAttributes: md5OfMessageAttributes(userAttributes),
            MessageAttributes:
              userSelected.length > 0 ? userAttributes : undefined,
          };
        }),
      };
    },

    DeleteMessage: (input: Record<string, unknown>, ctx: CallContext) => {
      deleteMessage(stateOf(ctx), findQueue(input, ctx), input.ReceiptHandle);
      return {};
    },

    DeleteMessageBatch: (input: Record<string, unknown>, ctx: CallContext) => {
      const queue = findQueue(input, ctx);
      const state = stateOf(ctx);
      return runBatch(
        batchEntries(input, 'DeleteMessageBatchRequestEntry'),
        entry => {
          deleteMessage(state, queue, entry.ReceiptHandle);
          return {};
        },
      );
    },

    ChangeMessageVisibility: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      changeVisibility(
        stateOf(ctx),
        findQueue(input, ctx),
        input.ReceiptHandle,
        input.VisibilityTimeout,
        ctx.now.getTime(),
      );
      return {};
    },

    ChangeMessageVisibilityBatch: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const queue = findQueue(input, ctx);
      const state = stateOf(ctx);
      return runBatch(
        batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry'),
        entry => {
          changeVisibility(
            state,
            queue,
            entry.ReceiptHandle,
            entry.VisibilityTimeout,
            ctx.now.getTime(),
          );
          return {};
        },
      );
    },
  },
};

/** Message attributes of a batch entry for its size only: invalid ones fail that entry later, not the batch. */
function parseBatchAttributes(
  input: unknown,
): Record<string, MessageAttribute> {
  try {
    return parseMessageAttributes(input);
  } catch {
    return {};
  }
}
