import { awsQueryProtocol } from '../protocols/awsQuery';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): never {
  throw new AwsError('ValidationError', message);
}

/** AWS STS over awsQuery: who am I, and temporary credentials into the estate's accounts. */
export const stsService: AwsServiceDefinition = {
  signingName: 'sts',
  statsPrefix: 'sts',
  protocol: awsQueryProtocol('https://sts.amazonaws.com/doc/2011-06-15/'),
  operations: {
    GetCallerIdentity: (_input: Record<string, string>, ctx: CallContext) => ({
      Arn: ctx.principal.arn,
      UserId: ctx.principal.userId,
      Account: ctx.principal.accountId,
    }),

    AssumeRole: (input: Record<string, string>, ctx: CallContext) => {
      const roleArn = input.RoleArn;
      if (!roleArn)
        validation(
          "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
        );
      const match = ROLE_ARN.exec(roleArn);
      if (!match)
        validation(
          `RoleArn '${roleArn}' is not a role ARN; use arn:aws:iam::<12-digit account>:role/<name>`,
        );
      const sessionName = input.RoleSessionName;
      if (!sessionName || !SESSION_NAME.test(sessionName)) {
        validation(
          `RoleSessionName '${
            sessionName ?? ''
          }' must be 2-64 characters of letters, digits and +=,.@-`,
        );
      }
      const duration = input.DurationSeconds
        ? Number(input.DurationSeconds)
        : 3600;
      if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
        validation(
          `DurationSeconds ${input.DurationSeconds} must be a whole number from 900 to 43200`,
        );
      }
      const roleName = match[2].split('/').pop()!;
      const issued = ctx.assumeRole(match[1], roleName, sessionName, duration);
      return {
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretAccessKey: issued.secretAccessKey,
          SessionToken: issued.sessionToken,
          Expiration: issued.expiration,
        },
        AssumedRoleUser: {
          AssumedRoleId: issued.assumedRoleId,
          Arn: issued.arn,
        },
      };
    },
  },
};
