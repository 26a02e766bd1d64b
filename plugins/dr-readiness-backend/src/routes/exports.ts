import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { drReadPermission, EvidencePack } from '@internal/dr-readiness-common';
import { evidenceCsvRows, formatCsv } from '@internal/dr-readiness-node';
import type { Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RouteContext } from './context';
import { parse } from './params';

const evidenceQuery = z
  .object({
    entityRef: z.string().optional(),
    tier: z.string().optional(),
    format: z
      .enum(['json', 'csv'], { message: 'must be json or csv' })
      .optional(),
  })
  .strict()
  .refine(q => Boolean(q.entityRef) !== Boolean(q.tier), {
    message:
      'needs exactly one of entityRef (e.g. component:default/ledger-writer) or tier (e.g. tier-0)',
  });

function evidenceQueryOf(value: unknown) {
  const query = parse(evidenceQuery, value, 'query');
  if (query.entityRef) {
    try {
      parseEntityRef(query.entityRef);
    } catch {
      throw new InputError(
        `Invalid query: entityRef '${query.entityRef}' is not an entity reference; write kind:namespace/name, e.g. component:default/ledger-writer`,
      );
    }
  }
  return query;
}

/**
 * GET /evidence: the evidence pack for auditors, of one service or one tier, JSON or CSV, with
 * hashes and times; it holds the records of the services the caller may read.
 */
export function exportRoutes({ auth, reader, userInfo }: RouteContext) {
  const router = Router();

  router.get('/evidence', async (req, res) => {
    const credentials = await auth.caller(req);
    const query = evidenceQueryOf(req.query);
    let generatedBy = 'service';
    if (credentials.principal.type === 'user')
      generatedBy = (await userInfo.getUserInfo(credentials)).userEntityRef;
    const pack = await reader.evidence(
      { entityRef: query.entityRef, tier: query.tier },
      generatedBy,
    );
    const readable = await auth.allowed(credentials, drReadPermission, [
      ...new Set(pack.records.map(r => r.entityRef)),
    ]);
    if (query.entityRef && pack.records.length > 0 && readable.size === 0) {
      throw new NotAllowedError(
        `You need the dr.read permission on ${query.entityRef}`,
      );
    }
    pack.records = pack.records.filter(r => readable.has(r.entityRef));
    sendPack(res, pack, query.entityRef ?? query.tier!, query.format);
  });

  /**
   * GET /evidence/verify: recomputes every stored result's evidence hash, each scan's sealed
   * results root and each link of the chain; 200 with `ok` and, when it does not hold, the
   * first broken link. Any signed-in user or service may ask: it discloses no evidence.
   */
  router.get('/evidence/verify', async (req, res) => {
    await auth.caller(req);
    res.json(await reader.verifyChain());
  });

  return router;
}

/** The pack as a download named after its scope and day: JSON, or CSV with a row per record. */
function sendPack(
  res: Response,
  pack: EvidencePack,
  scope: string,
  format: 'json' | 'csv' | undefined,
) {
  const stem = `dr-evidence-${scope.replace(
    /[^a-z0-9-]+/gi,
    '-',
  )}-${pack.generatedAt.slice(0, 10)}`;
  if (format === 'csv') {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${stem}.csv"`);
    res.send(formatCsv(evidenceCsvRows(pack.records)));
    return;
  }
  res.setHeader('content-disposition', `attachment; filename="${stem}.json"`);
  res.json(pack);
}
