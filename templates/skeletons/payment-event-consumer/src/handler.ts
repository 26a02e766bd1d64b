import { Message } from './messages.js';

/** A payment event as the producers publish it. Amounts are integers in minor units. */
export interface PaymentEvent {
  type: string;
  paymentId: string;
  amount: number;
  currency: string;
}

/** Thrown for a message that can never succeed; it is still retried, then dead-lettered. */
export class InvalidMessageError extends Error {}

const CURRENCY = /^[A-Z]{3}$/;

export function parsePaymentEvent(message: Message): PaymentEvent {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    throw new InvalidMessageError('body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidMessageError('body must be a JSON object');
  const { type, paymentId, amount, currency } = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof type !== 'string' || type.length === 0) problems.push('type must be a non-empty string');
  if (typeof paymentId !== 'string' || paymentId.length === 0) problems.push('paymentId must be a non-empty string');
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) problems.push('amount must be a positive integer in minor units');
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) problems.push('currency must be an ISO 4217 code such as GBP');
  if (problems.length > 0) throw new InvalidMessageError(problems.join('; '));
  return { type: type as string, paymentId: paymentId as string, amount: amount as number, currency: currency as string };
}

/** What the consumer does with one event. Throw to have it retried (and dead-lettered in the end). */
export type MessageHandler = (message: Message) => Promise<void>;

/**
 * The default handler: validates the event. TODO(${{ values.name }}): do the business work here
 * (ledger entry, notification ...) in the same ${{ values.datastore }} transaction as the
 * idempotency record where you can.
 */
export const handlePaymentEvent: MessageHandler = async message => {
  parsePaymentEvent(message);
};
