import type { FileTree } from '../../types';

/** A tree from path -> text (or bytes), for tests. */
export function tree(files: Record<string, string | Buffer>): FileTree {
  return new Map(
    Object.entries(files).map(([p, content]) => [
      p,
      typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    ]),
  );
}

export const DOCKERFILE_1_2 = `FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY dist ./dist
USER node
EXPOSE 8080
CMD ["node", "dist/index.js"]
`;

export const VALUES_1_2 = `replicaCount: 2
image:
  repository: registry.internal/payments-api
  pullPolicy: IfNotPresent
resources:
  requests:
    cpu: 250m
    memory: 256Mi
  limits:
    memory: 512Mi
podDisruptionBudget:
  minAvailable: 1
`;

export const HANDLER = `import { Router } from 'express';

export function paymentsRouter(): Router {
  const router = Router();
  router.post('/payments', async (req, res) => {
    res.status(202).json({ id: req.body.id });
  });
  return router;
}
`;

export const RUNBOOK = `# payments-api runbook

## Paging
Page the payments on-call through the incident tool.

## Failover
1. Freeze deploys.
2. Promote the replica in the paired region.
3. Move traffic with the global load balancer.

## Restore
Restore the latest snapshot and replay the queue.
`;

export const LOCK_1 = `{
  "name": "payments-api",
  "lockfileVersion": 3,
  "packages": {
    "node_modules/body-parser": { "version": "1.20.2" },
    "node_modules/express": { "version": "4.19.2" },
    "node_modules/pino": { "version": "9.3.2" },
    "node_modules/pg": { "version": "8.12.0" }
  }
}
`;

/** Starts like a PNG (signature, then an IHDR chunk with NUL bytes). */
export function png(fill: number): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    Buffer.alloc(32, fill),
  ]);
}
