/*
 * Checks a DR evidence pack offline, as an auditor does, with nothing but the file:
 *   yarn dr:verify-evidence dr-evidence-component-default-ledger-writer-2027-03-01.json
 * Recomputes each record's evidence hash, follows its inclusion proof to its scan's sealed
 * results root, and recomputes every link of the chain the pack carries. Prints what held, or
 * the first thing that did not, and exits 1 then (2 when the file cannot be read as a pack).
 */
import type { EvidencePack } from '@internal/dr-readiness-common';
import { verifyEvidencePack } from '@internal/dr-readiness-node';
import fs from 'node:fs';

function readPack(file: string | undefined): EvidencePack {
  if (!file) {
    process.stderr.write(
      'usage: yarn dr:verify-evidence <pack.json>  (the JSON evidence pack the DR tab or GET /api/dr-readiness/evidence?format=json downloads)\n',
    );
    process.exit(2);
  }
  let pack: Partial<EvidencePack>;
  try {
    pack = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`${file}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (!Array.isArray(pack.records)) {
    process.stderr.write(
      `${file}: not an evidence pack (no records); download it as JSON, not CSV\n`,
    );
    process.exit(2);
  }
  return pack as EvidencePack;
}

const file = process.argv[2];
const pack = readPack(file);
const verdict = verifyEvidencePack(pack);
const links = pack.chain?.links ?? [];
if (verdict.ok) {
  process.stdout.write(
    `${file}: holds. ${
      verdict.recordsChecked
    } records recomputed and proven in their scans; ${
      verdict.links
    } chain links recomputed (sequence ${links[0]?.sequence ?? '-'} to ${
      links[links.length - 1]?.sequence ?? '-'
    }, newest manifest ${links[links.length - 1]?.manifestHash ?? '-'}).\n`,
  );
  process.stdout.write(
    'Compare the newest manifest hash with GET /api/dr-readiness/evidence/verify or a later pack: a later chain must contain it unchanged.\n',
  );
} else {
  const broken = verdict.firstBroken!;
  process.stdout.write(
    `${file}: DOES NOT HOLD. First broken: ${
      broken.scanId ? `scan ${broken.scanId} (link ${broken.sequence}): ` : ''
    }${broken.reason}.\n`,
  );
  process.exitCode = 1;
}
